using Mender.Numerics.Kernels;

namespace Mender.Numerics.Tests.Kernels;

/// <summary>
/// The few-rows kernel (A·Bᵀ, B a weight in [out, in] layout) against a float64 product: full and partial 4 × 4 tiles,
/// depths with and without a vector tail, leading dimensions wider than the matrices, and garbage in C (beta = 0).
/// </summary>
public sealed unsafe class RowDotGemmTests
{
    [Theory]
    [InlineData(1, 1, 16)]
    [InlineData(1, 1152, 128)]
    [InlineData(3, 7, 19)]
    [InlineData(4, 4, 16)]
    [InlineData(20, 1026, 128)]
    [InlineData(20, 128, 1024)]
    [InlineData(13, 37, 45)]
    [InlineData(32, 9, 200)]
    public void MatchesFloat64(int m, int n, int k)
    {
        var rng = new Rng(7);
        var (lda, ldb, ldc) = (k + 3, k + 5, n + 2);
        var a = GradientCheck.RandomValues(rng, m * lda);
        var b = GradientCheck.RandomValues(rng, n * ldb);
        var c = Enumerable.Repeat(float.NaN, m * ldc).ToArray();
        fixed (float* pa = a, pb = b, pc = c)
            RowDotGemm.Run(m, n, k, 0.5f, pa, lda, pb, ldb, pc, ldc);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double expected = 0;
                for (var p = 0; p < k; p++) expected += (double)a[i * lda + p] * b[j * ldb + p];
                expected *= 0.5;
                Assert.True(Math.Abs(c[i * ldc + j] - expected) <= 1e-5 * Math.Sqrt(k) * (1 + Math.Abs(expected)), $"C[{i}, {j}] = {c[i * ldc + j]}, expected {expected}");
            }
        for (var i = 0; i < m; i++)
            for (var j = n; j < ldc; j++) Assert.True(float.IsNaN(c[i * ldc + j]), "a column past n was written");
    }

    [Fact]
    public void OnlyFewRowsOfATransposedProductOverwritingCApply()
    {
        Assert.False(RowDotGemm.Applies(false, true, RowDotGemm.MaxRows + 1, RowDotGemm.MinDepth, 0f));
        Assert.False(RowDotGemm.Applies(true, true, 4, RowDotGemm.MinDepth, 0f));
        Assert.False(RowDotGemm.Applies(false, false, 4, RowDotGemm.MinDepth, 0f));
        Assert.False(RowDotGemm.Applies(false, true, 4, RowDotGemm.MinDepth, 1f));
        Assert.False(RowDotGemm.Applies(false, true, 4, RowDotGemm.MinDepth - 1, 0f));
    }
}
