using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mender.Llm.Kernels;

/// <summary>
/// Register-blocked float micro-kernels for many tokens at once: C[r][t] (+)= Σ_k W[r][k]·Xᵀ[k][t] over a tile of
/// weight rows (dequantized, row-major) and tokens (activations transposed so that tokens are contiguous). Each weight
/// is broadcast once per k and multiplied with a whole vector of tokens, so a weight element loaded into a register
/// serves 16-64 tokens.
/// </summary>
internal static unsafe class GemmKernels
{
    /// <summary>Weight rows per AVX-512 tile.</summary>
    public const int Rows512 = 6;

    /// <summary>Weight rows per AVX2 tile.</summary>
    public const int Rows256 = 4;

    /// <summary>6 rows × 64 tokens: 24 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile6x64(float* w, nint ldw, float* xt, nint ldx, int kc, float* c, nint ldc, bool accumulate)
    {
        Vector512<float> c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23;
        Vector512<float> c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        if (accumulate)
        {
            float* r = c;
            c00 = Vector512.Load(r); c01 = Vector512.Load(r + 16); c02 = Vector512.Load(r + 32); c03 = Vector512.Load(r + 48); r += ldc;
            c10 = Vector512.Load(r); c11 = Vector512.Load(r + 16); c12 = Vector512.Load(r + 32); c13 = Vector512.Load(r + 48); r += ldc;
            c20 = Vector512.Load(r); c21 = Vector512.Load(r + 16); c22 = Vector512.Load(r + 32); c23 = Vector512.Load(r + 48); r += ldc;
            c30 = Vector512.Load(r); c31 = Vector512.Load(r + 16); c32 = Vector512.Load(r + 32); c33 = Vector512.Load(r + 48); r += ldc;
            c40 = Vector512.Load(r); c41 = Vector512.Load(r + 16); c42 = Vector512.Load(r + 32); c43 = Vector512.Load(r + 48); r += ldc;
            c50 = Vector512.Load(r); c51 = Vector512.Load(r + 16); c52 = Vector512.Load(r + 32); c53 = Vector512.Load(r + 48);
        }
        else
        {
            c00 = c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = default;
            c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = default;
        }
        float* w1 = w + ldw, w2 = w1 + ldw, w3 = w2 + ldw, w4 = w3 + ldw, w5 = w4 + ldw;
        for (nint k = 0; k < kc; k++)
        {
            var x0 = Vector512.Load(xt);
            var x1 = Vector512.Load(xt + 16);
            var x2 = Vector512.Load(xt + 32);
            var x3 = Vector512.Load(xt + 48);
            xt += ldx;
            var b = Vector512.Create(w[k]);
            c00 = Avx512F.FusedMultiplyAdd(b, x0, c00); c01 = Avx512F.FusedMultiplyAdd(b, x1, c01);
            c02 = Avx512F.FusedMultiplyAdd(b, x2, c02); c03 = Avx512F.FusedMultiplyAdd(b, x3, c03);
            b = Vector512.Create(w1[k]);
            c10 = Avx512F.FusedMultiplyAdd(b, x0, c10); c11 = Avx512F.FusedMultiplyAdd(b, x1, c11);
            c12 = Avx512F.FusedMultiplyAdd(b, x2, c12); c13 = Avx512F.FusedMultiplyAdd(b, x3, c13);
            b = Vector512.Create(w2[k]);
            c20 = Avx512F.FusedMultiplyAdd(b, x0, c20); c21 = Avx512F.FusedMultiplyAdd(b, x1, c21);
            c22 = Avx512F.FusedMultiplyAdd(b, x2, c22); c23 = Avx512F.FusedMultiplyAdd(b, x3, c23);
            b = Vector512.Create(w3[k]);
            c30 = Avx512F.FusedMultiplyAdd(b, x0, c30); c31 = Avx512F.FusedMultiplyAdd(b, x1, c31);
            c32 = Avx512F.FusedMultiplyAdd(b, x2, c32); c33 = Avx512F.FusedMultiplyAdd(b, x3, c33);
            b = Vector512.Create(w4[k]);
            c40 = Avx512F.FusedMultiplyAdd(b, x0, c40); c41 = Avx512F.FusedMultiplyAdd(b, x1, c41);
            c42 = Avx512F.FusedMultiplyAdd(b, x2, c42); c43 = Avx512F.FusedMultiplyAdd(b, x3, c43);
            b = Vector512.Create(w5[k]);
            c50 = Avx512F.FusedMultiplyAdd(b, x0, c50); c51 = Avx512F.FusedMultiplyAdd(b, x1, c51);
            c52 = Avx512F.FusedMultiplyAdd(b, x2, c52); c53 = Avx512F.FusedMultiplyAdd(b, x3, c53);
        }
        c00.Store(c); c01.Store(c + 16); c02.Store(c + 32); c03.Store(c + 48); c += ldc;
        c10.Store(c); c11.Store(c + 16); c12.Store(c + 32); c13.Store(c + 48); c += ldc;
        c20.Store(c); c21.Store(c + 16); c22.Store(c + 32); c23.Store(c + 48); c += ldc;
        c30.Store(c); c31.Store(c + 16); c32.Store(c + 32); c33.Store(c + 48); c += ldc;
        c40.Store(c); c41.Store(c + 16); c42.Store(c + 32); c43.Store(c + 48); c += ldc;
        c50.Store(c); c51.Store(c + 16); c52.Store(c + 32); c53.Store(c + 48);
    }

    /// <summary>6 rows × 16 tokens, for the tokens left over after the 64-wide tiles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile6x16(float* w, nint ldw, float* xt, nint ldx, int kc, float* c, nint ldc, bool accumulate)
    {
        Vector512<float> c0, c1, c2, c3, c4, c5;
        if (accumulate)
        {
            c0 = Vector512.Load(c); c1 = Vector512.Load(c + ldc); c2 = Vector512.Load(c + 2 * ldc);
            c3 = Vector512.Load(c + 3 * ldc); c4 = Vector512.Load(c + 4 * ldc); c5 = Vector512.Load(c + 5 * ldc);
        }
        else
        {
            c0 = c1 = c2 = c3 = c4 = c5 = default;
        }
        float* w1 = w + ldw, w2 = w1 + ldw, w3 = w2 + ldw, w4 = w3 + ldw, w5 = w4 + ldw;
        for (nint k = 0; k < kc; k++)
        {
            var x = Vector512.Load(xt);
            xt += ldx;
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[k]), x, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(w1[k]), x, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(w2[k]), x, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(w3[k]), x, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(w4[k]), x, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(w5[k]), x, c5);
        }
        c0.Store(c); c1.Store(c + ldc); c2.Store(c + 2 * ldc); c3.Store(c + 3 * ldc); c4.Store(c + 4 * ldc); c5.Store(c + 5 * ldc);
    }

    /// <summary>4 rows × 16 tokens in AVX2 registers: 8 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile4x16(float* w, nint ldw, float* xt, nint ldx, int kc, float* c, nint ldc, bool accumulate)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31;
        if (accumulate)
        {
            c00 = Vector256.Load(c); c01 = Vector256.Load(c + 8);
            c10 = Vector256.Load(c + ldc); c11 = Vector256.Load(c + ldc + 8);
            c20 = Vector256.Load(c + 2 * ldc); c21 = Vector256.Load(c + 2 * ldc + 8);
            c30 = Vector256.Load(c + 3 * ldc); c31 = Vector256.Load(c + 3 * ldc + 8);
        }
        else
        {
            c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = default;
        }
        float* w1 = w + ldw, w2 = w1 + ldw, w3 = w2 + ldw;
        for (nint k = 0; k < kc; k++)
        {
            var x0 = Vector256.Load(xt);
            var x1 = Vector256.Load(xt + 8);
            xt += ldx;
            var b = Vector256.Create(w[k]);
            c00 = Fma.MultiplyAdd(b, x0, c00); c01 = Fma.MultiplyAdd(b, x1, c01);
            b = Vector256.Create(w1[k]);
            c10 = Fma.MultiplyAdd(b, x0, c10); c11 = Fma.MultiplyAdd(b, x1, c11);
            b = Vector256.Create(w2[k]);
            c20 = Fma.MultiplyAdd(b, x0, c20); c21 = Fma.MultiplyAdd(b, x1, c21);
            b = Vector256.Create(w3[k]);
            c30 = Fma.MultiplyAdd(b, x0, c30); c31 = Fma.MultiplyAdd(b, x1, c31);
        }
        c00.Store(c); c01.Store(c + 8); c += ldc;
        c10.Store(c); c11.Store(c + 8); c += ldc;
        c20.Store(c); c21.Store(c + 8); c += ldc;
        c30.Store(c); c31.Store(c + 8);
    }
}
