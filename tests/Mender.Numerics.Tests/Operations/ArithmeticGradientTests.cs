using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;
using Mender.Numerics.Tests.Reference;
using static Mender.Numerics.Tests.GradientCheck;

namespace Mender.Numerics.Tests.Operations;

/// <summary>Broadcasting arithmetic, reductions and pointwise functions against float64 finite differences.</summary>
public sealed class ArithmeticGradientTests
{
    public static TheoryData<int[], int[]> BroadcastShapes() => new()
    {
        { [3, 4], [3, 4] },
        { [2, 3, 4], [4] },
        { [4], [2, 3, 4] },
        { [2, 3, 4], [3, 1] },
        { [2, 1, 4], [1, 3, 1] },
        { [3, 4], [] },
        { [5], [1] },
    };

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void AddMatchesReference(int[] a, int[] b) =>
        Run([In(a), In(b)], t => Ops.Add(t[0], t[1]), r => Ref.Add(r[0], r[1]));

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void SubMatchesReference(int[] a, int[] b) =>
        Run([In(a), In(b)], t => Ops.Sub(t[0], t[1]), r => Ref.Sub(r[0], r[1]));

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void MulMatchesReference(int[] a, int[] b) =>
        Run([In(a), In(b)], t => Ops.Mul(t[0], t[1]), r => Ref.Mul(r[0], r[1]));

    [Theory]
    [MemberData(nameof(BroadcastShapes))]
    public void DivMatchesReference(int[] a, int[] b)
    {
        // Keep divisors away from zero.
        var rng = new Rng(5);
        var divisor = RandomValues(rng, b.Aggregate(1, (p, d) => p * d), 0.5f, 2f);
        Run([In(a), InValues(divisor, b)], t => Ops.Div(t[0], t[1]), r => Ref.Div(r[0], r[1]));
    }

    [Fact]
    public void OperatorsAndScalarsMatchReference() =>
        Run([In(2, 3), In(3)], t => (t[0] * 3f - t[1]) / 2f + 1f - (-t[0]),
            r => Ref.Add(Ref.Map(Ref.Sub(Ref.Map(r[0], v => v * 3), r[1]), v => v / 2 + 1), r[0]));

    [Fact]
    public void SumAndMeanOfEverythingMatchReference()
    {
        Run([In(3, 5)], t => Ops.Sum(t[0]), r => Ref.Sum(r[0]));
        Run([In(3, 5)], t => Ops.Mean(t[0]), r => Ref.Mean(r[0]));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(-1, false)]
    [InlineData(2, true)]
    public void SumAndMeanOverAnAxisMatchReference(int axis, bool keepDim)
    {
        Run([In(2, 3, 4)], t => Ops.Sum(t[0], axis, keepDim), r => Ref.SumAxis(r[0], axis, keepDim));
        Run([In(2, 3, 4)], t => Ops.Mean(t[0], axis, keepDim), r => Ref.SumAxis(r[0], axis, keepDim, mean: true));
    }

    [Fact]
    public void PointwiseFunctionsMatchReference()
    {
        var positive = RandomValues(new Rng(3), 12, 0.2f, 2f);
        Run([In(3, 4)], t => Ops.Exp(t[0]), r => Ref.Map(r[0], Math.Exp));
        Run([InValues(positive, 3, 4)], t => Ops.Log(t[0]), r => Ref.Map(r[0], Math.Log));
        Run([InValues(positive, 3, 4)], t => Ops.Sqrt(t[0]), r => Ref.Map(r[0], Math.Sqrt));
        Run([In(3, 4)], t => Ops.Square(t[0]), r => Ref.Map(r[0], v => v * v));
        Run([In(3, 4)], t => Ops.Affine(t[0], -1.5f, 0.25f), r => Ref.Map(r[0], v => -1.5 * v + 0.25));
    }

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.Gelu)]
    [InlineData(Activation.Silu)]
    public void ActivationsMatchReference(Activation activation)
    {
        // Wider than one vector so both the SIMD body and the scalar tail run.
        Run([In(3, 37)], t => Ops.Activate(t[0], activation), r => Ref.Activate(r[0], activation));
    }

    [Fact]
    public void LargeActivationSplitsAcrossThreadsAndMatchesReference()
    {
        var n = 3 * Mender.Numerics.Kernels.ParallelRange.Grain + 5;
        var x = Tensor.FromArray(RandomValues(new Rng(2), n), n);
        var y = Ops.Gelu(x);
        var expected = Ref.Activate(R.From(x.ToArray(), n), Activation.Gelu);
        AssertClose(expected.V, y.ToArray(), 1e-6, "gelu");
    }
}
