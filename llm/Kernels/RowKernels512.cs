using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mender.Llm.Kernels.Formats;

namespace Mender.Llm.Kernels;

/// <summary>
/// AVX-512 row kernels for one weight format: a quantized row is decoded 64 elements at a time into registers and
/// multiplied with float activations, so the stored row is read exactly once however many activation vectors share it.
/// Rows whose length is 32 mod 64 finish with one AVX2 chunk, and F32/F16/BF16 rows of odd length with a scalar tail.
/// </summary>
internal static unsafe class RowKernels512<TFormat> where TFormat : IWeightFormat
{
    public static float Dot1(byte* row, float* x, int n)
    {
        var chunks = (nint)(n / 64);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (nint c = 0; c < chunks; c++)
        {
            TFormat.Decode512(row, c, out var w0, out var w1, out var w2, out var w3);
            var p = x + c * 64;
            a0 = Avx512F.FusedMultiplyAdd(w0, Vector512.Load(p), a0);
            a1 = Avx512F.FusedMultiplyAdd(w1, Vector512.Load(p + 16), a1);
            a2 = Avx512F.FusedMultiplyAdd(w2, Vector512.Load(p + 32), a2);
            a3 = Avx512F.FusedMultiplyAdd(w3, Vector512.Load(p + 48), a3);
        }
        var sum = Vector512.Sum((a0 + a1) + (a2 + a3));
        var done = (int)chunks * 64;
        return done < n ? sum + Tail(row, x, n, done) : sum;
    }

    public static void Dot4(byte* row, int n, float** xs, float* sums)
    {
        var chunks = (nint)(n / 64);
        float* x0 = xs[0], x1 = xs[1], x2 = xs[2], x3 = xs[3];
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
        for (nint c = 0; c < chunks; c++)
        {
            TFormat.Decode512(row, c, out var w0, out var w1, out var w2, out var w3);
            var o = c * 64;
            a0 = Avx512F.FusedMultiplyAdd(w0, Vector512.Load(x0 + o), a0);
            a1 = Avx512F.FusedMultiplyAdd(w0, Vector512.Load(x1 + o), a1);
            a2 = Avx512F.FusedMultiplyAdd(w0, Vector512.Load(x2 + o), a2);
            a3 = Avx512F.FusedMultiplyAdd(w0, Vector512.Load(x3 + o), a3);
            b0 = Avx512F.FusedMultiplyAdd(w1, Vector512.Load(x0 + o + 16), b0);
            b1 = Avx512F.FusedMultiplyAdd(w1, Vector512.Load(x1 + o + 16), b1);
            b2 = Avx512F.FusedMultiplyAdd(w1, Vector512.Load(x2 + o + 16), b2);
            b3 = Avx512F.FusedMultiplyAdd(w1, Vector512.Load(x3 + o + 16), b3);
            a0 = Avx512F.FusedMultiplyAdd(w2, Vector512.Load(x0 + o + 32), a0);
            a1 = Avx512F.FusedMultiplyAdd(w2, Vector512.Load(x1 + o + 32), a1);
            a2 = Avx512F.FusedMultiplyAdd(w2, Vector512.Load(x2 + o + 32), a2);
            a3 = Avx512F.FusedMultiplyAdd(w2, Vector512.Load(x3 + o + 32), a3);
            b0 = Avx512F.FusedMultiplyAdd(w3, Vector512.Load(x0 + o + 48), b0);
            b1 = Avx512F.FusedMultiplyAdd(w3, Vector512.Load(x1 + o + 48), b1);
            b2 = Avx512F.FusedMultiplyAdd(w3, Vector512.Load(x2 + o + 48), b2);
            b3 = Avx512F.FusedMultiplyAdd(w3, Vector512.Load(x3 + o + 48), b3);
        }
        var done = (int)chunks * 64;
        // Reduced before any call, so the accumulators are not live across calls (the JIT would spill them in the loop).
        sums[0] = Vector512.Sum(a0 + b0);
        sums[1] = Vector512.Sum(a1 + b1);
        sums[2] = Vector512.Sum(a2 + b2);
        sums[3] = Vector512.Sum(a3 + b3);
        if (done < n)
            for (var t = 0; t < 4; t++) sums[t] += Tail(row, xs[t], n, done);
    }

    public static void Dot8(byte* row, int n, float** xs, float* sums)
    {
        var chunks = (nint)(n / 64);
        float* x0 = xs[0], x1 = xs[1], x2 = xs[2], x3 = xs[3], x4 = xs[4], x5 = xs[5], x6 = xs[6], x7 = xs[7];
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector512<float> a4 = default, a5 = default, a6 = default, a7 = default;
        for (nint c = 0; c < chunks; c++)
        {
            TFormat.Decode512(row, c, out var w0, out var w1, out var w2, out var w3);
            var o = c * 64;
            a0 = Avx512F.FusedMultiplyAdd(w0, Vector512.Load(x0 + o), a0);
            a1 = Avx512F.FusedMultiplyAdd(w0, Vector512.Load(x1 + o), a1);
            a2 = Avx512F.FusedMultiplyAdd(w0, Vector512.Load(x2 + o), a2);
            a3 = Avx512F.FusedMultiplyAdd(w0, Vector512.Load(x3 + o), a3);
            a4 = Avx512F.FusedMultiplyAdd(w0, Vector512.Load(x4 + o), a4);
            a5 = Avx512F.FusedMultiplyAdd(w0, Vector512.Load(x5 + o), a5);
            a6 = Avx512F.FusedMultiplyAdd(w0, Vector512.Load(x6 + o), a6);
            a7 = Avx512F.FusedMultiplyAdd(w0, Vector512.Load(x7 + o), a7);
            o += 16;
            a0 = Avx512F.FusedMultiplyAdd(w1, Vector512.Load(x0 + o), a0);
            a1 = Avx512F.FusedMultiplyAdd(w1, Vector512.Load(x1 + o), a1);
            a2 = Avx512F.FusedMultiplyAdd(w1, Vector512.Load(x2 + o), a2);
            a3 = Avx512F.FusedMultiplyAdd(w1, Vector512.Load(x3 + o), a3);
            a4 = Avx512F.FusedMultiplyAdd(w1, Vector512.Load(x4 + o), a4);
            a5 = Avx512F.FusedMultiplyAdd(w1, Vector512.Load(x5 + o), a5);
            a6 = Avx512F.FusedMultiplyAdd(w1, Vector512.Load(x6 + o), a6);
            a7 = Avx512F.FusedMultiplyAdd(w1, Vector512.Load(x7 + o), a7);
            o += 16;
            a0 = Avx512F.FusedMultiplyAdd(w2, Vector512.Load(x0 + o), a0);
            a1 = Avx512F.FusedMultiplyAdd(w2, Vector512.Load(x1 + o), a1);
            a2 = Avx512F.FusedMultiplyAdd(w2, Vector512.Load(x2 + o), a2);
            a3 = Avx512F.FusedMultiplyAdd(w2, Vector512.Load(x3 + o), a3);
            a4 = Avx512F.FusedMultiplyAdd(w2, Vector512.Load(x4 + o), a4);
            a5 = Avx512F.FusedMultiplyAdd(w2, Vector512.Load(x5 + o), a5);
            a6 = Avx512F.FusedMultiplyAdd(w2, Vector512.Load(x6 + o), a6);
            a7 = Avx512F.FusedMultiplyAdd(w2, Vector512.Load(x7 + o), a7);
            o += 16;
            a0 = Avx512F.FusedMultiplyAdd(w3, Vector512.Load(x0 + o), a0);
            a1 = Avx512F.FusedMultiplyAdd(w3, Vector512.Load(x1 + o), a1);
            a2 = Avx512F.FusedMultiplyAdd(w3, Vector512.Load(x2 + o), a2);
            a3 = Avx512F.FusedMultiplyAdd(w3, Vector512.Load(x3 + o), a3);
            a4 = Avx512F.FusedMultiplyAdd(w3, Vector512.Load(x4 + o), a4);
            a5 = Avx512F.FusedMultiplyAdd(w3, Vector512.Load(x5 + o), a5);
            a6 = Avx512F.FusedMultiplyAdd(w3, Vector512.Load(x6 + o), a6);
            a7 = Avx512F.FusedMultiplyAdd(w3, Vector512.Load(x7 + o), a7);
        }
        var done = (int)chunks * 64;
        // Reduced before any call, so the accumulators are not live across calls (the JIT would spill them in the loop).
        sums[0] = Vector512.Sum(a0);
        sums[1] = Vector512.Sum(a1);
        sums[2] = Vector512.Sum(a2);
        sums[3] = Vector512.Sum(a3);
        sums[4] = Vector512.Sum(a4);
        sums[5] = Vector512.Sum(a5);
        sums[6] = Vector512.Sum(a6);
        sums[7] = Vector512.Sum(a7);
        if (done < n)
            for (var t = 0; t < 8; t++) sums[t] += Tail(row, xs[t], n, done);
    }

    /// <summary>Elements [start, start+count) of a row as floats; <paramref name="start"/> is a multiple of 64.</summary>
    public static void Dequantize(byte* row, int start, int count, float* dst)
    {
        var c = (nint)(start / 64);
        var done = 0;
        for (; count - done >= 64; done += 64, c++)
        {
            TFormat.Decode512(row, c, out var w0, out var w1, out var w2, out var w3);
            w0.Store(dst + done);
            w1.Store(dst + done + 16);
            w2.Store(dst + done + 32);
            w3.Store(dst + done + 48);
        }
        if (count - done >= 32)
        {
            TFormat.Decode256(row, (start + done) / 32, out var v0, out var v1, out var v2, out var v3);
            v0.Store(dst + done);
            v1.Store(dst + done + 8);
            v2.Store(dst + done + 16);
            v3.Store(dst + done + 24);
            done += 32;
        }
        if (done < count)
            TFormat.DecodeScalar(row, (start + done) / 32, dst + done, count - done);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Tail(byte* row, float* x, int n, int done)
    {
        var sum = 0f;
        if (n - done >= 32)
        {
            TFormat.Decode256(row, done / 32, out var v0, out var v1, out var v2, out var v3);
            var p = x + done;
            var acc = v0 * Vector256.Load(p);
            acc = Fma.MultiplyAdd(v1, Vector256.Load(p + 8), acc);
            acc = Fma.MultiplyAdd(v2, Vector256.Load(p + 16), acc);
            acc = Fma.MultiplyAdd(v3, Vector256.Load(p + 24), acc);
            sum = Vector256.Sum(acc);
            done += 32;
        }
        if (done < n)
        {
            var buffer = stackalloc float[32];
            TFormat.DecodeScalar(row, done / 32, buffer, n - done);
            for (var i = 0; i < n - done; i++) sum += buffer[i] * x[done + i];
        }
        return sum;
    }
}
