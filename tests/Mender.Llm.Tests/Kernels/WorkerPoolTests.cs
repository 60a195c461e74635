using Mender.Llm.Kernels;
using Xunit;

namespace Mender.Llm.Tests.Kernels;

public sealed class WorkerPoolTests
{
    private sealed class CountingJob : ParallelJob
    {
        public int Next;
        public int Total;
        public readonly int[] ByWorker = new int[4];

        public override void Execute(int worker, int workers)
        {
            for (var i = Interlocked.Increment(ref Next) - 1; i < 1000; i = Interlocked.Increment(ref Next) - 1)
            {
                Interlocked.Add(ref Total, i);
                Interlocked.Increment(ref ByWorker[worker]);
            }
        }
    }

    /// <summary>Item 50 fails, on whichever thread takes it.</summary>
    private sealed class FailingJob : ParallelJob
    {
        private int _next;

        public override void Execute(int worker, int workers)
        {
            for (var i = Interlocked.Increment(ref _next) - 1; i < 100; i = Interlocked.Increment(ref _next) - 1)
                if (i == 50) throw new InvalidOperationException("boom");
        }
    }

    [Fact]
    public void Every_item_runs_once_per_run_across_many_runs()
    {
        using var pool = new WorkerPool(3);
        var job = new CountingJob();
        for (var run = 0; run < 200; run++)
        {
            job.Next = 0;
            job.Total = 0;
            pool.Run(job);
            Assert.Equal(999 * 1000 / 2, job.Total);
        }
        Assert.Equal(200 * 1000, job.ByWorker.Sum());
    }

    [Fact]
    public void Runs_after_the_workers_went_to_sleep()
    {
        using var pool = new WorkerPool(2);
        var job = new CountingJob();
        pool.Run(job);
        Thread.Sleep(50);
        job.Next = 0;
        job.Total = 0;
        pool.Run(job);
        Assert.Equal(999 * 1000 / 2, job.Total);
    }

    [Fact]
    public void A_failure_on_any_thread_reaches_the_caller_and_the_pool_stays_usable()
    {
        using var pool = new WorkerPool(2);
        Assert.Throws<InvalidOperationException>(() => pool.Run(new FailingJob()));
        var job = new CountingJob();
        pool.Run(job);
        Assert.Equal(999 * 1000 / 2, job.Total);
    }
}
