using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Mender.Llm.Kernels;

/// <summary>
/// A persistent pool: the calling thread plus <c>threads − 1</c> workers that spin briefly between jobs (a decode step
/// runs a few hundred short parallel kernels back to back) and then sleep, so an idle pool costs no CPU.
/// Jobs share out their own work, and a run waits only for the workers that actually joined it: on a busy machine a
/// worker that is not scheduled when a run starts simply misses it, and the threads that are running do its share,
/// instead of the whole run waiting a scheduler time slice for it.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 5000; // 200 µs

    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _wake;
    private readonly int[] _sleeping;
    private ParallelJob? _job;

    // Positive: run number `_state` is open for joining. Negative: run number −`_state` is closed.
    private long _state;

    // Workers between joining a run and leaving it. A worker announces itself here before it checks that the run is
    // open, and the caller closes the run before it checks this count, so no worker can touch a job after the caller
    // has seen the count at zero.
    private int _inside;

    private volatile bool _disposed;
    private ExceptionDispatchInfo? _error;

    public WorkerPool(int threads)
    {
        if (threads < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "need at least one thread");
        Threads = threads;
        _threads = new Thread[threads - 1];
        _wake = new SemaphoreSlim[threads - 1];
        _sleeping = new int[threads - 1];
        for (var i = 0; i < _threads.Length; i++)
        {
            _wake[i] = new SemaphoreSlim(0);
            var worker = i + 1;
            _threads[i] = new Thread(() => Loop(worker)) { IsBackground = true, Name = $"mender-llm-{worker}" };
            _threads[i].Start();
        }
    }

    public int Threads { get; }

    /// <summary>
    /// Runs <paramref name="job"/> on the calling thread and on every worker that joins in time, and returns when the job
    /// is done and no worker is inside it; rethrows the first failure.
    /// </summary>
    public void Run(ParallelJob job)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_threads.Length == 0)
        {
            job.Execute(0, 1);
            return;
        }
        _job = job;
        _error = null;
        var run = -Volatile.Read(ref _state) + 1;
        Interlocked.Exchange(ref _state, run);
        for (var i = 0; i < _threads.Length; i++)
            if (Interlocked.Exchange(ref _sleeping[i], 0) == 1)
                _wake[i].Release();
        try
        {
            job.Execute(0, Threads);
        }
        catch (Exception ex)
        {
            Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(ex), null);
        }
        Interlocked.Exchange(ref _state, -run);
        var spin = new SpinWait();
        while (Volatile.Read(ref _inside) != 0)
            spin.SpinOnce(sleep1Threshold: -1);
        _job = null;
        _error?.Throw();
    }

    private void Loop(int worker)
    {
        var slot = worker - 1;
        long done = 0;
        while (true)
        {
            var start = Stopwatch.GetTimestamp();
            while (!IsNewRun(Volatile.Read(ref _state), done))
            {
                if (_disposed) return;
                if (Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(30);
                    continue;
                }
                Volatile.Write(ref _sleeping[slot], 1);
                if (IsNewRun(Volatile.Read(ref _state), done) || _disposed)
                {
                    // Run may already have cleared the flag and released us: consume that release.
                    if (Interlocked.Exchange(ref _sleeping[slot], 0) == 0)
                        _wake[slot].Wait();
                }
                else
                {
                    _wake[slot].Wait();
                }
                start = Stopwatch.GetTimestamp();
            }
            if (_disposed) return;

            Interlocked.Increment(ref _inside);
            var state = Volatile.Read(ref _state);
            if (IsNewRun(state, done))
            {
                done = state;
                try
                {
                    _job!.Execute(worker, Threads);
                }
                catch (Exception ex)
                {
                    Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(ex), null);
                }
            }
            Interlocked.Decrement(ref _inside);
        }
    }

    private static bool IsNewRun(long state, long done) => state > 0 && state != done;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        for (var i = 0; i < _threads.Length; i++)
            if (Interlocked.Exchange(ref _sleeping[i], 0) == 1)
                _wake[i].Release();
        foreach (var t in _threads) t.Join();
        foreach (var w in _wake) w.Dispose();
    }
}
