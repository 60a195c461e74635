using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;
using Mender.Numerics.Tests.Reference;
using static Mender.Numerics.Tests.GradientCheck;

namespace Mender.Numerics.Tests.Operations;

/// <summary>Layer, RMS and L2 normalization, softmax and cross-entropy against float64 finite differences.</summary>
public sealed class NormalizationGradientTests
{
    [Fact]
    public void LayerNormMatchesReference() =>
        Run([In(2, 3, 6), In(6), In(6)], t => Ops.LayerNorm(t[0], t[1], t[2]), r => Ref.LayerNorm(r[0], r[1], r[2], 1e-5));

    [Fact]
    public void LayerNormWithoutAffineParametersMatchesReference() =>
        Run([In(4, 5)], t => Ops.LayerNorm(t[0], null, null), r => Ref.LayerNorm(r[0], null, null, 1e-5));

    [Fact]
    public void LayerNormOverManyRowsMatchesReference()
    {
        // More rows than one gradient block, so the per-block parameter sums are combined.
        Run([In(300, 4), In(4), In(4)], t => Ops.LayerNorm(t[0], t[1], t[2]), r => Ref.LayerNorm(r[0], r[1], r[2], 1e-5),
            gradTol: 3e-3);
    }

    [Fact]
    public void WideRowsTakeTheVectorKernelAndMatchReference()
    {
        // Widths that are multiples of 16 run the fused AVX-512 row kernel where available.
        Run([In(3, 32), In(32), In(32)], t => Ops.LayerNorm(t[0], t[1], t[2]), r => Ref.LayerNorm(r[0], r[1], r[2], 1e-5));
        Run([In(2, 16)], t => Ops.LayerNorm(t[0], null, null), r => Ref.LayerNorm(r[0], null, null, 1e-5));
        Run([In(3, 16), In(16)], t => Ops.RmsNorm(t[0], t[1]), r => Ref.LayerNorm(r[0], r[1], null, 1e-6, rms: true));
        Run([In(130, 16), In(16), In(16)], t => Ops.LayerNorm(t[0], t[1], t[2]), r => Ref.LayerNorm(r[0], r[1], r[2], 1e-5), gradTol: 3e-3);
    }

    [Fact]
    public void RmsNormMatchesReference() =>
        Run([In(3, 7), In(7)], t => Ops.RmsNorm(t[0], t[1]), r => Ref.LayerNorm(r[0], r[1], null, 1e-6, rms: true));

    [Fact]
    public void L2NormalizeMatchesReference() =>
        Run([In(4, 6)], t => Ops.L2Normalize(t[0]), r => Ref.L2Normalize(r[0], 1e-12));

    [Fact]
    public void SoftmaxAndLogSoftmaxMatchReference()
    {
        Run([In(3, 9)], t => Ops.Softmax(t[0]), r => Ref.Softmax(r[0]));
        Run([In(3, 9)], t => Ops.LogSoftmax(t[0]), r => Ref.Softmax(r[0], log: true));
    }

    [Fact]
    public void SoftmaxIsStableForLargeLogits()
    {
        var x = Tensor.FromArray([1000f, 1001f, -1000f, 999f, 0f, 1000f, 1000f, 1000f, 1000f, 1000f, 1000f, 1000f, 1000f, 1000f, 1000f, 1000f, 1000f, 1000f], 1, 18);
        var y = Ops.Softmax(x).ToArray();
        Assert.All(y, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(1.0, y.Sum(), 5);
        Assert.Equal(Math.E * y[0], y[1], 4);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.1f)]
    public void CrossEntropyMatchesReference(float smoothing)
    {
        int[] targets = [2, -100, 0, 4, 4, -100];
        Run([In(2, 3, 5)], t => Ops.CrossEntropy(t[0], targets, -100, smoothing), r => Ref.CrossEntropy(r[0], targets, -100, smoothing));
    }

    [Fact]
    public void CrossEntropyWithACustomIgnoreIndexMatchesReference()
    {
        int[] targets = [1, 0, 3, 0];
        Run([In(4, 4)], t => Ops.CrossEntropy(t[0], targets, ignoreIndex: 0), r => Ref.CrossEntropy(r[0], targets, 0, 0));
    }

    [Fact]
    public void CrossEntropyOfUniformLogitsIsLogOfClassCount()
    {
        var loss = Ops.CrossEntropy(new Tensor(3, 10), [1, 2, 3]);
        Assert.Equal(Math.Log(10), loss.Item(), 5);
    }

    [Fact]
    public void CrossEntropyRejectsTargetsOutsideTheClasses()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.CrossEntropy(new Tensor(2, 3), [0, 3]));
        Assert.Contains("row 1", ex.Message);
    }
}
