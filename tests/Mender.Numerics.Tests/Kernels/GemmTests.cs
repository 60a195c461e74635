using Mender.Numerics.Kernels;

namespace Mender.Numerics.Tests.Kernels;

/// <summary>
/// The managed GEMM on every micro-kernel this CPU runs, on one and two threads, and OpenBLAS when installed, all
/// against a float64 product: shapes with partial register tiles and several K/N blocks, every transpose, leading
/// dimensions wider than the matrices, and alpha/beta including beta = 0 over garbage.
/// </summary>
public sealed unsafe class GemmTests
{
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 5, 7, 3 }, { 13, 33, 17 }, { 12, 32, 256 }, { 7, 40, 300 }, { 32, 48, 80 }, { 80, 80, 64 }, { 25, 70, 300 }, { 100, 1030, 40 }, { 97, 45, 520 }, { 5, 300, 4100 },
    };

    private static IEnumerable<ManagedGemm.KernelKind> Kernels() =>
        Enum.GetValues<ManagedGemm.KernelKind>().Where(ManagedGemm.Supports);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ManagedKernelsMatchFloat64InEveryLayout(int m, int n, int k)
    {
        foreach (var kind in Kernels())
            foreach (var threads in new[] { 1, 2 })
                foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
                    Check(m, n, k, ta, tb, 0.75f, 0.5f, (a, lda, b, ldb, beta, c, ldc) =>
                        ManagedGemm.Gemm(kind, ta, tb, m, n, k, 0.75f, a, lda, b, ldb, beta, c, ldc, threads), $"{kind} ×{threads}");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void OpenBlasMatchesFloat64AndTheManagedKernel(int m, int n, int k)
    {
        if (!OpenBlas.IsAvailable)
        {
            Assert.False(SharedData.IsCi, "CI installs libopenblas0-pthread, but it did not load");
            return;
        }
        foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            var viaBlas = Check(m, n, k, ta, tb, 1.25f, 1f, (a, lda, b, ldb, beta, c, ldc) =>
                OpenBlas.Gemm(ta, tb, m, n, k, 1.25f, a, lda, b, ldb, beta, c, ldc), "openblas");
            var viaManaged = Check(m, n, k, ta, tb, 1.25f, 1f, (a, lda, b, ldb, beta, c, ldc) =>
                ManagedGemm.Gemm(ManagedGemm.Best, ta, tb, m, n, k, 1.25f, a, lda, b, ldb, beta, c, ldc, 2), "managed");
            var scale = viaBlas.Max(Math.Abs) + 1;
            for (var i = 0; i < viaBlas.Length; i++)
                Assert.True(Math.Abs(viaBlas[i] - viaManaged[i]) <= 1e-5 * scale * Math.Sqrt(k), $"element {i}: {viaBlas[i]} vs {viaManaged[i]}");
        }
    }

    [Fact]
    public void ManagedResultsDoNotDependOnTheThreadCount()
    {
        foreach (var (m, n) in new[] { (301, 40), (40, 301) })
        {
            var rng = new Rng(12);
            var a = GradientCheck.RandomValues(rng, m * 200);
            var b = GradientCheck.RandomValues(rng, 200 * n);
            var one = new float[m * n];
            var two = new float[m * n];
            fixed (float* pa = a, pb = b, p1 = one, p2 = two)
            {
                ManagedGemm.Gemm(ManagedGemm.Best, false, false, m, n, 200, 1f, pa, 200, pb, n, 0f, p1, n, 1);
                ManagedGemm.Gemm(ManagedGemm.Best, false, false, m, n, 200, 1f, pa, 200, pb, n, 0f, p2, n, 2);
            }
            Assert.Equal(one, two);
        }
    }

    [Fact]
    public void BetaZeroIgnoresNanInTheOutput()
    {
        var a = new float[] { 1, 2, 3, 4 };
        var b = new float[] { 1, 0, 0, 1 };
        var c = new[] { float.NaN, float.NaN, float.NaN, float.NaN };
        fixed (float* pa = a, pb = b, pc = c)
            foreach (var kind in Kernels())
            {
                ManagedGemm.Gemm(kind, false, false, 2, 2, 2, 1f, pa, 2, pb, 2, 0f, pc, 2, 1);
                Assert.Equal(a, c);
                c.AsSpan().Fill(float.NaN);
            }
    }

    [Fact]
    public void ZeroDepthScalesTheOutputByBeta()
    {
        var c = new[] { 1f, 2f, 3f };
        fixed (float* pc = c)
            ManagedGemm.Gemm(ManagedGemm.Best, false, false, 1, 3, 0, 1f, null, 1, null, 3, 0.5f, pc, 3, 1);
        Assert.Equal([0.5f, 1f, 1.5f], c);
    }

    private delegate void GemmCall(float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    /// <summary>Runs a GEMM on padded random operands and checks it against float64; returns the result.</summary>
    private static float[] Check(int m, int n, int k, bool ta, bool tb, float alpha, float beta, GemmCall gemm, string what)
    {
        var rng = new Rng((ulong)(m * 1_000_003 + n * 1009 + k));
        var (aRows, aCols) = ta ? (k, m) : (m, k);
        var (bRows, bCols) = tb ? (n, k) : (k, n);
        // Leading dimensions a little wider than the matrices exercise strided access.
        var (lda, ldb, ldc) = (aCols + 3, bCols + 1, n + 2);
        var a = GradientCheck.RandomValues(rng, aRows * lda);
        var b = GradientCheck.RandomValues(rng, bRows * ldb);
        var c = GradientCheck.RandomValues(rng, m * ldc);
        var expected = new double[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double s = 0;
                for (var p = 0; p < k; p++)
                    s += (double)(ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                expected[i * n + j] = alpha * s + beta * c[i * ldc + j];
            }
        fixed (float* pa = a, pb = b, pc = c) gemm(pa, lda, pb, ldb, beta, pc, ldc);
        var result = new float[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                var got = c[i * ldc + j];
                var want = expected[i * n + j];
                Assert.True(Math.Abs(got - want) <= 1e-5 * Math.Sqrt(k) * (1 + Math.Abs(want)),
                    $"{what} {(ta ? "T" : "N")}{(tb ? "T" : "N")} {m}×{n}×{k}: C[{i},{j}] = {got}, expected {want}");
                result[i * n + j] = got;
            }
        return result;
    }
}
