using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mender.Numerics.Kernels;

/// <summary>
/// C = alpha·A·Bᵀ for a handful of rows of A (one user's beam during decoding), B being a layer's weight [n, k] in
/// PyTorch's layout. Each output is a dot product of two contiguous rows, computed 4 × 4 at a time so every loaded
/// vector feeds four multiply-adds. Nothing is packed: with so few rows of A, repacking B (a transpose of the whole
/// weight) costs more than the product itself, while here B streams through once, row after row. Each dot product
/// ends in a horizontal sum, which deep products (a feed-forward layer's output side) amortise; shallow ones are
/// left to the packed GEMM.
/// </summary>
internal static unsafe class RowDotGemm
{
    /// <summary>Rows of A up to which this kernel beats the packed GEMM.</summary>
    public const int MaxRows = 32;

    /// <summary>Depth from which the horizontal sums cost less than packing B.</summary>
    public const int MinDepth = 384;

    /// <summary>Whether a product takes this kernel: A as is, B transposed, few rows, deep enough, C overwritten, and vector hardware.</summary>
    public static bool Applies(bool transA, bool transB, int m, int k, float beta) =>
        !transA && transB && m <= MaxRows && k >= MinDepth && beta == 0 && Vector256.IsHardwareAccelerated;

    public static void Run(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float* c, int ldc)
    {
        var j = 0;
        for (; j + 4 <= n; j += 4)
        {
            var i = 0;
            for (; i + 4 <= m; i += 4)
                Tile4x4(a + (long)i * lda, lda, b + (long)j * ldb, ldb, k, alpha, c + (long)i * ldc + j, ldc);
            for (; i < m; i++)
                Tile1x4(a + (long)i * lda, b + (long)j * ldb, ldb, k, alpha, c + (long)i * ldc + j);
        }
        for (; j < n; j++)
            for (var i = 0; i < m; i++)
                c[(long)i * ldc + j] = alpha * Dot(a + (long)i * lda, b + (long)j * ldb, k);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile4x4(float* a, int lda, float* b, int ldb, int k, float alpha, float* c, int ldc)
    {
        var sums = stackalloc float[16];
        if (Vector512.IsHardwareAccelerated) Tile4x4Wide(a, lda, b, ldb, k, sums);
        else Tile4x4Narrow(a, lda, b, ldb, k, sums);
        var done = Vector512.IsHardwareAccelerated ? k / 16 * 16 : k / 8 * 8;
        for (var i = 0; i < 4; i++)
            for (var j = 0; j < 4; j++)
            {
                var s = sums[i * 4 + j];
                for (var p = done; p < k; p++) s += a[(long)i * lda + p] * b[(long)j * ldb + p];
                c[(long)i * ldc + j] = alpha * s;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x4Wide(float* a, int lda, float* b, int ldb, int k, float* sums)
    {
        float* a0 = a, a1 = a + lda, a2 = a + 2L * lda, a3 = a + 3L * lda;
        float* b0 = b, b1 = b + ldb, b2 = b + 2L * ldb, b3 = b + 3L * ldb;
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        for (var p = 0; p + 16 <= k; p += 16)
        {
            var w0 = Vector512.Load(b0 + p);
            var w1 = Vector512.Load(b1 + p);
            var w2 = Vector512.Load(b2 + p);
            var w3 = Vector512.Load(b3 + p);
            var x = Vector512.Load(a0 + p);
            c00 = Vector512.FusedMultiplyAdd(x, w0, c00); c01 = Vector512.FusedMultiplyAdd(x, w1, c01);
            c02 = Vector512.FusedMultiplyAdd(x, w2, c02); c03 = Vector512.FusedMultiplyAdd(x, w3, c03);
            x = Vector512.Load(a1 + p);
            c10 = Vector512.FusedMultiplyAdd(x, w0, c10); c11 = Vector512.FusedMultiplyAdd(x, w1, c11);
            c12 = Vector512.FusedMultiplyAdd(x, w2, c12); c13 = Vector512.FusedMultiplyAdd(x, w3, c13);
            x = Vector512.Load(a2 + p);
            c20 = Vector512.FusedMultiplyAdd(x, w0, c20); c21 = Vector512.FusedMultiplyAdd(x, w1, c21);
            c22 = Vector512.FusedMultiplyAdd(x, w2, c22); c23 = Vector512.FusedMultiplyAdd(x, w3, c23);
            x = Vector512.Load(a3 + p);
            c30 = Vector512.FusedMultiplyAdd(x, w0, c30); c31 = Vector512.FusedMultiplyAdd(x, w1, c31);
            c32 = Vector512.FusedMultiplyAdd(x, w2, c32); c33 = Vector512.FusedMultiplyAdd(x, w3, c33);
        }
        sums[0] = Vector512.Sum(c00); sums[1] = Vector512.Sum(c01); sums[2] = Vector512.Sum(c02); sums[3] = Vector512.Sum(c03);
        sums[4] = Vector512.Sum(c10); sums[5] = Vector512.Sum(c11); sums[6] = Vector512.Sum(c12); sums[7] = Vector512.Sum(c13);
        sums[8] = Vector512.Sum(c20); sums[9] = Vector512.Sum(c21); sums[10] = Vector512.Sum(c22); sums[11] = Vector512.Sum(c23);
        sums[12] = Vector512.Sum(c30); sums[13] = Vector512.Sum(c31); sums[14] = Vector512.Sum(c32); sums[15] = Vector512.Sum(c33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile4x4Narrow(float* a, int lda, float* b, int ldb, int k, float* sums)
    {
        float* a0 = a, a1 = a + lda, a2 = a + 2L * lda, a3 = a + 3L * lda;
        float* b0 = b, b1 = b + ldb, b2 = b + 2L * ldb, b3 = b + 3L * ldb;
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector256<float> c30 = default, c31 = default, c32 = default, c33 = default;
        for (var p = 0; p + 8 <= k; p += 8)
        {
            var w0 = Vector256.Load(b0 + p);
            var w1 = Vector256.Load(b1 + p);
            var w2 = Vector256.Load(b2 + p);
            var w3 = Vector256.Load(b3 + p);
            var x = Vector256.Load(a0 + p);
            c00 = Vector256.FusedMultiplyAdd(x, w0, c00); c01 = Vector256.FusedMultiplyAdd(x, w1, c01);
            c02 = Vector256.FusedMultiplyAdd(x, w2, c02); c03 = Vector256.FusedMultiplyAdd(x, w3, c03);
            x = Vector256.Load(a1 + p);
            c10 = Vector256.FusedMultiplyAdd(x, w0, c10); c11 = Vector256.FusedMultiplyAdd(x, w1, c11);
            c12 = Vector256.FusedMultiplyAdd(x, w2, c12); c13 = Vector256.FusedMultiplyAdd(x, w3, c13);
            x = Vector256.Load(a2 + p);
            c20 = Vector256.FusedMultiplyAdd(x, w0, c20); c21 = Vector256.FusedMultiplyAdd(x, w1, c21);
            c22 = Vector256.FusedMultiplyAdd(x, w2, c22); c23 = Vector256.FusedMultiplyAdd(x, w3, c23);
            x = Vector256.Load(a3 + p);
            c30 = Vector256.FusedMultiplyAdd(x, w0, c30); c31 = Vector256.FusedMultiplyAdd(x, w1, c31);
            c32 = Vector256.FusedMultiplyAdd(x, w2, c32); c33 = Vector256.FusedMultiplyAdd(x, w3, c33);
        }
        sums[0] = Vector256.Sum(c00); sums[1] = Vector256.Sum(c01); sums[2] = Vector256.Sum(c02); sums[3] = Vector256.Sum(c03);
        sums[4] = Vector256.Sum(c10); sums[5] = Vector256.Sum(c11); sums[6] = Vector256.Sum(c12); sums[7] = Vector256.Sum(c13);
        sums[8] = Vector256.Sum(c20); sums[9] = Vector256.Sum(c21); sums[10] = Vector256.Sum(c22); sums[11] = Vector256.Sum(c23);
        sums[12] = Vector256.Sum(c30); sums[13] = Vector256.Sum(c31); sums[14] = Vector256.Sum(c32); sums[15] = Vector256.Sum(c33);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile1x4(float* a, float* b, int ldb, int k, float alpha, float* c)
    {
        for (var j = 0; j < 4; j++) c[j] = alpha * Dot(a, b + (long)j * ldb, k);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(float* x, float* y, int k)
    {
        var p = 0;
        var s = 0f;
        if (Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<float>.Zero;
            for (; p + 16 <= k; p += 16) acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + p), Vector512.Load(y + p), acc);
            s = Vector512.Sum(acc);
        }
        else
        {
            var acc = Vector256<float>.Zero;
            for (; p + 8 <= k; p += 8) acc = Vector256.FusedMultiplyAdd(Vector256.Load(x + p), Vector256.Load(y + p), acc);
            s = Vector256.Sum(acc);
        }
        for (; p < k; p++) s += x[p] * y[p];
        return s;
    }
}
