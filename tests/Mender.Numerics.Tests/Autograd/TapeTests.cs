using Mender.Numerics.Autograd;
using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Tests.Autograd;

/// <summary>Recording, inference mode, gradient accumulation and buffer lifetimes of the tape.</summary>
public sealed class TapeTests
{
    private static Tensor Leaf(params float[] values)
    {
        var t = Tensor.FromArray(values, values.Length);
        t.RequiresGrad = true;
        return t;
    }

    [Fact]
    public void BackwardGivesTheAnalyticGradient()
    {
        var x = Leaf(1, 2, 3);
        using (var tape = Tape.Record())
            tape.Backward(Ops.Sum(x * x * 3f));
        Assert.Equal([6f, 12f, 18f], x.Grad!.ToArray());
    }

    [Fact]
    public void NoGradModeRecordsNothingAndResultsNeedNoGradient()
    {
        var x = Leaf(1, 2);
        using var tape = Tape.NoGrad();
        var y = Ops.Sum(x * x);
        Assert.False(y.RequiresGrad);
        Assert.Equal(0, tape.NodeCount);
        Assert.False(Tape.IsGradEnabled);
        Assert.Throws<InvalidOperationException>(() => tape.Backward(y));
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardCallsUntilReset()
    {
        var x = Leaf(1, 2);
        for (var i = 0; i < 3; i++)
            using (var tape = Tape.Record())
                tape.Backward(Ops.Sum(x * 2f));
        Assert.Equal([6f, 6f], x.Grad!.ToArray());
        x.ZeroGrad();
        Assert.Null(x.Grad);
        using (var tape = Tape.Record())
            tape.Backward(Ops.Sum(x));
        Assert.Equal([1f, 1f], x.Grad!.ToArray());
    }

    [Fact]
    public void ATensorUsedTwiceReceivesBothContributions()
    {
        var x = Leaf(2, 3);
        using (var tape = Tape.Record())
            tape.Backward(Ops.Sum(Ops.Relu(x) + Ops.Exp(x) + x));
        var expected = new[] { 1 + MathF.Exp(2) + 1, 1 + MathF.Exp(3) + 1 };
        Assert.Equal(expected[0], x.Grad![0], 4);
        Assert.Equal(expected[1], x.Grad![1], 4);
    }

    [Fact]
    public void IntermediatesAreReleasedByBackwardUnlessRetained()
    {
        var x = Leaf(1, 2);
        using var tape = Tape.Record();
        var hidden = x * 2f;
        var kept = (x * 3f).Retain();
        var loss = Ops.Sum(hidden + kept);
        tape.Backward(loss);
        Assert.True(hidden.IsReleased);
        var ex = Assert.Throws<ObjectDisposedException>(() => hidden.ToArray());
        Assert.Contains("Retain", ex.Message);
        Assert.Equal([3f, 6f], kept.ToArray());
        Assert.Equal(15f, loss.Item());
    }

    [Fact]
    public void DisposeReturnsBuffersThatTheNextStepReuses()
    {
        // An unusual length, so no other test competes for the pooled buffer.
        var x = Leaf(new float[4093]);
        Tensor first;
        float[] buffer;
        using (Tape.Record())
        {
            first = x * 2f;
            buffer = first.Data;
        }
        Assert.True(first.IsReleased);
        using (Tape.Record())
        {
            var second = x * 3f;
            Assert.Same(buffer, second.Data);
        }
    }

    [Fact]
    public void TensorsMadeOutsideATapeAreOrdinaryValues()
    {
        var x = Leaf(1, 2);
        var y = x * 2f;
        Assert.False(y.RequiresGrad);
        Assert.Equal([2f, 4f], y.ToArray());
    }

    [Fact]
    public void BackwardRunsOnceAndNeedsAScalarConnectedLoss()
    {
        var x = Leaf(1, 2);
        using (var tape = Tape.Record())
        {
            Assert.Throws<ArgumentException>(() => tape.Backward(x * 2f));
            var loss = Ops.Sum(x);
            tape.Backward(loss);
            Assert.Throws<InvalidOperationException>(() => tape.Backward(loss));
        }
        using (var tape = Tape.Record())
            Assert.Throws<InvalidOperationException>(() => tape.Backward(Ops.Sum(Tensor.FromArray([1f], 1))));
    }

    [Fact]
    public void NestedNoGradScopePausesRecording()
    {
        var x = Leaf(1, 2);
        using var tape = Tape.Record();
        Tensor frozen;
        using (Tape.NoGrad()) frozen = (x * 5f).Clone();
        Assert.True(Tape.IsGradEnabled);
        var loss = Ops.Sum(x * frozen);
        tape.Backward(loss);
        Assert.Equal([5f, 10f], x.Grad!.ToArray());
    }

    [Fact]
    public void InputCopiesDataIntoAPooledTensor()
    {
        using var tape = Tape.Record();
        var t = tape.Input([1f, 2f, 3f, 4f], 2, 2);
        Assert.Equal(4f, t[1, 1]);
        Assert.Throws<ArgumentException>(() => tape.Input([1f, 2f], 3));
    }
}
