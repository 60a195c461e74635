using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Operations;

namespace Mender.Numerics.Tests.Training;

/// <summary>End-to-end training of a small encoder-decoder: it must overfit, and reruns must be bit-identical.</summary>
public sealed class Seq2SeqTrainingTests
{
    [Fact]
    public void SmallTransformerOverfitsAToyTaskAndDecodesItGreedily()
    {
        var model = new TinySeq2Seq(seed: 11, dropout: 0f);
        var losses = model.Train(steps: 250, count: 24, dataSeed: 5, learningRate: 3e-3f);
        Assert.True(losses[0] > 2f, $"initial loss {losses[0]} should be near log(12)");
        Assert.True(losses[^1] < 0.02f, $"final loss {losses[^1]} should be near zero");
        model.Eval();
        var (source, _, targets) = TinySeq2Seq.Data(24, 5);
        Assert.Equal(targets, model.Greedy(source, 24));
    }

    [Fact]
    public void SameSeedGivesAnIdenticalLossCurveWithDropout()
    {
        var first = new TinySeq2Seq(seed: 3, dropout: 0.1f).Train(steps: 12, count: 8, dataSeed: 1, learningRate: 1e-3f);
        var second = new TinySeq2Seq(seed: 3, dropout: 0.1f).Train(steps: 12, count: 8, dataSeed: 1, learningRate: 1e-3f);
        var other = new TinySeq2Seq(seed: 4, dropout: 0.1f).Train(steps: 12, count: 8, dataSeed: 1, learningRate: 1e-3f);
        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void AccumulatingTwoHalfBatchesEqualsOneFullBatch()
    {
        var (source, input, targets) = TinySeq2Seq.Data(8, 2);
        var model = new TinySeq2Seq(seed: 5, dropout: 0f);
        using (var tape = Tape.Record())
            tape.Backward(Ops.CrossEntropy(model.Forward(source, input, 8), targets));
        var full = model.Gradients();
        model.ZeroGrad();
        for (var half = 0; half < 2; half++)
            using (var tape = Tape.Record())
                tape.Backward(model.Loss(source, input, targets, half * 4, 4), seed: 0.5f);
        model.AssertGradients(full);
    }
}

/// <summary>Tests that change process-wide compute settings run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ComputeSettingsCollection
{
    public const string Name = "compute settings";
}

[Collection(ComputeSettingsCollection.Name)]
public sealed class ThreadDeterminismTests
{
    [Fact]
    public void ManagedTrainingIsBitIdenticalOnOneAndTwoThreads()
    {
        var (threads, backend) = (Compute.Threads, Compute.Gemm);
        try
        {
            Compute.Gemm = GemmBackend.Managed;
            Compute.Threads = 1;
            var single = new TinySeq2Seq(seed: 8, dropout: 0.1f).Train(steps: 4, count: 200, dataSeed: 3, learningRate: 1e-3f);
            Compute.Threads = 2;
            var dual = new TinySeq2Seq(seed: 8, dropout: 0.1f).Train(steps: 4, count: 200, dataSeed: 3, learningRate: 1e-3f);
            Assert.Equal(single, dual);
        }
        finally
        {
            Compute.Threads = threads;
            Compute.Gemm = backend;
        }
    }
}
