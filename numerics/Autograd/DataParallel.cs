using System.Runtime.ExceptionServices;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Autograd;

/// <summary>
/// A training step's forward and backward over a batch cut into shards that run at once on the compute threads, each
/// recording its own tape into its own gradient buffers, which are then summed in shard order into the parameters'
/// gradients. Splitting whole samples across threads leaves each thread long serial runs of work, where splitting each
/// operation makes the threads meet hundreds of times a step. The cut depends only on the batch size, and each shard's
/// dropout stream only on the generator, so a run gives the same weights on any number of threads.
/// </summary>
public static class DataParallel
{
    /// <summary>
    /// The most samples in one shard. Two shards make a 128-sample batch, the size the small models train at, and a
    /// shard of 64 histories is still thousands of rows for every matrix product.
    /// </summary>
    public const int SamplesPerShard = 64;

    /// <summary>The shards a batch of <paramref name="samples"/> is cut into, at most <paramref name="samplesPerShard"/> each.</summary>
    public static int ShardCount(int samples, int samplesPerShard = SamplesPerShard)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerShard, 1);
        return Math.Max(1, (int)(((long)samples + samplesPerShard - 1) / samplesPerShard));
    }

    /// <summary>
    /// Back-propagates the mean loss of a batch of <paramref name="samples"/> into the gradients of
    /// <paramref name="parameters"/> (adding to any already there) and returns that mean. <paramref name="shardLoss"/>
    /// (start, count) must build the mean loss of samples [start, start + count), each sample weighing the same; it runs
    /// once per shard, on any thread. A batch of one shard runs as a plain step on the caller's thread, with dropout
    /// from the model's own generator; otherwise each shard's dropout draws from a generator seeded by
    /// <paramref name="random"/>. Gradients reaching tensors not in <paramref name="parameters"/> are dropped.
    /// </summary>
    public static float Backward(IReadOnlyList<Tensor> parameters, int samples, Rng random, Func<int, int, Tensor> shardLoss,
        int samplesPerShard = SamplesPerShard) =>
        Backward(parameters, samples, random, shardLoss, (_, count) => count / (float)samples, samplesPerShard);

    /// <summary>
    /// <see cref="Backward(IReadOnlyList{Tensor}, int, Rng, Func{int, int, Tensor}, int)"/> for a batch whose loss is
    /// not an even mean over samples: <paramref name="shardWeight"/> (start, count) gives the weight of the loss of
    /// samples [start, start + count) in the batch's, the weights of a batch's shards summing to one (for example its
    /// share of the batch's predicted positions, when samples predict different numbers of targets). Returns the
    /// weighted sum of the shards' losses.
    /// </summary>
    public static float Backward(IReadOnlyList<Tensor> parameters, int samples, Rng random, Func<int, int, Tensor> shardLoss,
        Func<int, int, float> shardWeight, int samplesPerShard = SamplesPerShard)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(shardLoss);
        ArgumentNullException.ThrowIfNull(shardWeight);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        var count = ShardCount(samples, samplesPerShard);
        if (count == 1)
        {
            using var tape = Tape.Record();
            var loss = shardLoss(0, samples);
            tape.Backward(loss);
            return loss.Item();
        }

        var shards = new Shard[count];
        for (var s = 0; s < count; s++) shards[s] = new Shard(new Rng(random.NextUInt64()));
        var losses = new float[count];
        var workers = Math.Min(Compute.Threads, count);
        var threadsEach = Math.Max(1, Compute.Threads / workers);
        void Run(int s)
        {
            var start = (int)((long)s * samples / count);
            var end = (int)((long)(s + 1) * samples / count);
            var share = shardWeight(start, end - start);
            using var limit = Compute.Limit(threadsEach);
            using var scope = shards[s].Enter();
            using var tape = Tape.Record();
            var loss = shardLoss(start, end - start);
            tape.Backward(loss, share);
            losses[s] = loss.Item() * share;
        }

        try
        {
            if (workers == 1)
                for (var s = 0; s < count; s++) Run(s);
            else
                RunAtOnce(count, workers, Run);
            foreach (var parameter in parameters) Sum(parameter, shards);
        }
        finally
        {
            foreach (var shard in shards) shard.Release();
        }
        var total = 0f;
        foreach (var loss in losses) total += loss;
        return total;
    }

    private static void RunAtOnce(int count, int workers, Action<int> run)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = workers }, run);
        }
        catch (AggregateException e)
        {
            // A shard's own error (a bad index, a shape mismatch) reads better than the wrapper; shards fail alike.
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
    }

    /// <summary>Adds the shards' gradients of <paramref name="parameter"/>, in shard order, into its own.</summary>
    private static void Sum(Tensor parameter, Shard[] shards)
    {
        foreach (var shard in shards)
        {
            if (shard.GradientOf(parameter) is not { } gradient) continue;
            var target = parameter.AcquireGrad(out var beta);
            Accumulate.Into(target.Span, gradient.Values, beta);
        }
    }
}
