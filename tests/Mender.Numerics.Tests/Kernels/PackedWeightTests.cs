using Mender.Numerics.Kernels;

namespace Mender.Numerics.Tests.Kernels;

/// <summary>
/// The product against a wholly prepacked B (what the inference weight cache runs) on every micro-kernel, one and two
/// threads, against float64: few rows (single decoding rows, partial tiles that short kernels cover in place or
/// padded), deep and wide weights, several column blocks, and row and column splits.
/// </summary>
public sealed unsafe class PackedWeightTests
{
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 1, 1152, 128 }, { 4, 33, 7 }, { 8, 64, 384 }, { 9, 100, 200 }, { 12, 32, 128 }, { 20, 1152, 128 },
        { 20, 128, 1024 }, { 21, 1030, 129 }, { 37, 2100, 65 }, { 100, 300, 64 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void PrepackedProductMatchesFloat64(int m, int n, int k)
    {
        var rng = new Rng((ulong)(m * 7919 + n * 31 + k));
        var ldw = k + 3;
        var ldx = k + 1;
        var ldy = n + 2;
        var w = GradientCheck.RandomValues(rng, n * ldw);
        var x = GradientCheck.RandomValues(rng, m * ldx);
        var start = GradientCheck.RandomValues(rng, m * ldy);
        foreach (var kind in Enum.GetValues<ManagedGemm.KernelKind>().Where(ManagedGemm.Supports))
        {
            var packed = new float[ManagedGemm.PackedLength(kind, k, n)];
            fixed (float* pw = w, pp = packed) ManagedGemm.PackWhole(kind, true, pw, ldw, k, n, pp);
            foreach (var threads in new[] { 1, 2 })
            {
                var y = (float[])start.Clone();
                fixed (float* px = x, pp = packed, py = y)
                    ManagedGemm.GemmPrepacked(kind, false, m, n, k, 0.75f, px, ldx, pp, 0.5f, py, ldy, threads);
                for (var i = 0; i < m; i++)
                    for (var j = 0; j < n; j++)
                    {
                        double s = 0;
                        for (var p = 0; p < k; p++) s += (double)x[i * ldx + p] * w[j * ldw + p];
                        var want = 0.75 * s + 0.5 * start[i * ldy + j];
                        var got = y[i * ldy + j];
                        Assert.True(Math.Abs(got - want) <= 1e-5 * Math.Sqrt(k) * (1 + Math.Abs(want)),
                            $"{kind} ×{threads} {m}×{n}×{k}: y[{i},{j}] = {got}, expected {want}");
                    }
                // Padding columns beyond n are never written.
                for (var i = 0; i < m; i++)
                    for (var j = n; j < ldy; j++) Assert.Equal(start[i * ldy + j], y[i * ldy + j]);
            }
        }
    }

    [Fact]
    public void CacheReturnsTheSameCopyUntilTheVersionChanges()
    {
        var w = GradientCheck.RandomValues(new Rng(3), 40 * 24);
        var owner = new object();
        fixed (float* pw = w)
        {
            var first = PackedWeight.For(owner, 7, 0, pw, 40, 24);
            Assert.Same(first, PackedWeight.For(owner, 7, 0, pw, 40, 24));
            Assert.NotSame(first, PackedWeight.For(owner, 8, 0, pw, 40, 24));
            Assert.NotSame(first, PackedWeight.For(new object(), 7, 0, pw, 40, 24));
            // Another view of the same buffer (offset or shape) does not reuse it either.
            var again = PackedWeight.For(owner, 7, 0, pw, 40, 24);
            Assert.NotSame(again, PackedWeight.For(owner, 7, 24, pw + 24, 39, 24));
        }
    }
}
