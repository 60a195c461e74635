using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tests.Training;

namespace Mender.Numerics.Tests.Autograd;

[Collection(ComputeSettingsCollection.Name)]
public sealed class DataParallelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ShardsRunningAtOnceGiveTheWholeBatchsLossAndGradients(int threads)
    {
        var (source, input, targets) = TinySeq2Seq.Data(10, 4);
        var model = new TinySeq2Seq(seed: 6, dropout: 0f);
        float whole;
        using (var tape = Tape.Record())
        {
            var loss = model.Loss(source, input, targets, 0, 10);
            tape.Backward(loss);
            whole = loss.Item();
        }
        var expected = model.Gradients();
        model.ZeroGrad();

        var threadsInShards = new List<int>();
        var sharded = WithThreads(threads, () => DataParallel.Backward(model.Parameters(), 10, model.Random, (start, count) =>
        {
            lock (threadsInShards) threadsInShards.Add(Compute.Threads);
            return model.Loss(source, input, targets, start, count);
        }, samplesPerShard: 4));

        Assert.Equal(3, threadsInShards.Count);
        Assert.All(threadsInShards, t => Assert.Equal(1, t));
        Assert.Equal(whole, sharded, 5);
        model.AssertGradients(expected);
    }

    [Fact]
    public void ShardedTrainingWithDropoutIsBitIdenticalOnOneAndTwoThreads()
    {
        var backend = Compute.Gemm;
        try
        {
            Compute.Gemm = GemmBackend.Managed;
            var single = WithThreads(1, () => Run(seed: 9));
            var dual = WithThreads(2, () => Run(seed: 9));
            var otherSeed = WithThreads(2, () => Run(seed: 10));
            Assert.Equal(single.Losses, dual.Losses);
            Assert.Equal(single.Weights, dual.Weights);
            Assert.NotEqual(single.Losses, otherSeed.Losses);
        }
        finally
        {
            Compute.Gemm = backend;
        }

        static (float[] Losses, float[] Weights) Run(ulong seed)
        {
            var model = new TinySeq2Seq(seed, dropout: 0.1f);
            var losses = model.Train(steps: 5, count: 24, dataSeed: 2, learningRate: 1e-3f, samplesPerShard: 8);
            return (losses, model.Parameters().SelectMany(p => p.ToArray()).ToArray());
        }
    }

    [Fact]
    public void ShardedGradientsAddToThoseAlreadyAccumulated()
    {
        var (source, input, targets) = TinySeq2Seq.Data(6, 3);
        var model = new TinySeq2Seq(seed: 2, dropout: 0f);
        using (var tape = Tape.Record()) tape.Backward(model.Loss(source, input, targets, 0, 6));
        var once = model.Gradients();

        DataParallel.Backward(model.Parameters(), 6, model.Random, (start, count) => model.Loss(source, input, targets, start, count), samplesPerShard: 2);

        model.AssertGradients(once, scale: 2f);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ShardWeightsGiveTheWeightedSumOfTheShardsLosses(int threads)
    {
        // Ten samples in shards of at most four are cut at 0, 3, 6 and 10.
        var (source, input, targets) = TinySeq2Seq.Data(10, 4);
        var model = new TinySeq2Seq(seed: 3, dropout: 0f);
        float whole;
        using (var tape = Tape.Record())
        {
            var loss = model.Loss(source, input, targets, 0, 3) * 0.5f + model.Loss(source, input, targets, 3, 3) * 0.2f
                + model.Loss(source, input, targets, 6, 4) * 0.3f;
            tape.Backward(loss);
            whole = loss.Item();
        }
        var expected = model.Gradients();
        model.ZeroGrad();

        var sharded = WithThreads(threads, () => DataParallel.Backward(model.Parameters(), 10, model.Random,
            (start, count) => model.Loss(source, input, targets, start, count),
            (start, _) => start switch { 0 => 0.5f, 3 => 0.2f, _ => 0.3f }, samplesPerShard: 4));

        Assert.Equal(whole, sharded, 5);
        model.AssertGradients(expected);
    }

    [Fact]
    public void AShardsErrorReachesTheCallerAsItself()
    {
        var model = new TinySeq2Seq(seed: 1, dropout: 0f);
        var error = Assert.Throws<ArgumentException>(() => WithThreads(2, () => DataParallel.Backward(model.Parameters(), 8, model.Random,
            (start, count) => start == 0 ? model.Loss(TinySeq2Seq.Data(8, 1).Source, TinySeq2Seq.Data(8, 1).DecoderInput, TinySeq2Seq.Data(8, 1).Targets, start, count)
                : throw new ArgumentException("history 5 names item 99 of 12"),
            samplesPerShard: 4)));
        Assert.Contains("names item 99", error.Message);
    }

    private static T WithThreads<T>(int threads, Func<T> body)
    {
        var saved = Compute.Threads;
        try
        {
            Compute.Threads = threads;
            return body();
        }
        finally
        {
            Compute.Threads = saved;
        }
    }
}
