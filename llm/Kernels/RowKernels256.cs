using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mender.Llm.Kernels.Formats;

namespace Mender.Llm.Kernels;

/// <summary>AVX2/FMA row kernels for one weight format: as <see cref="RowKernels512{TFormat}"/>, 32 elements at a time.</summary>
internal static unsafe class RowKernels256<TFormat> where TFormat : IWeightFormat
{
    public static float Dot1(byte* row, float* x, int n)
    {
        var chunks = (nint)(n / 32);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (nint c = 0; c < chunks; c++)
        {
            TFormat.Decode256(row, c, out var w0, out var w1, out var w2, out var w3);
            var p = x + c * 32;
            a0 = Fma.MultiplyAdd(w0, Vector256.Load(p), a0);
            a1 = Fma.MultiplyAdd(w1, Vector256.Load(p + 8), a1);
            a2 = Fma.MultiplyAdd(w2, Vector256.Load(p + 16), a2);
            a3 = Fma.MultiplyAdd(w3, Vector256.Load(p + 24), a3);
        }
        var sum = Vector256.Sum((a0 + a1) + (a2 + a3));
        var done = (int)chunks * 32;
        return done < n ? sum + Tail(row, x, n, done) : sum;
    }

    public static void Dot4(byte* row, int n, float** xs, float* sums)
    {
        var chunks = (nint)(n / 32);
        float* x0 = xs[0], x1 = xs[1], x2 = xs[2], x3 = xs[3];
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
        for (nint c = 0; c < chunks; c++)
        {
            TFormat.Decode256(row, c, out var w0, out var w1, out var w2, out var w3);
            var o = c * 32;
            a0 = Fma.MultiplyAdd(w0, Vector256.Load(x0 + o), a0);
            a1 = Fma.MultiplyAdd(w0, Vector256.Load(x1 + o), a1);
            a2 = Fma.MultiplyAdd(w0, Vector256.Load(x2 + o), a2);
            a3 = Fma.MultiplyAdd(w0, Vector256.Load(x3 + o), a3);
            b0 = Fma.MultiplyAdd(w1, Vector256.Load(x0 + o + 8), b0);
            b1 = Fma.MultiplyAdd(w1, Vector256.Load(x1 + o + 8), b1);
            b2 = Fma.MultiplyAdd(w1, Vector256.Load(x2 + o + 8), b2);
            b3 = Fma.MultiplyAdd(w1, Vector256.Load(x3 + o + 8), b3);
            a0 = Fma.MultiplyAdd(w2, Vector256.Load(x0 + o + 16), a0);
            a1 = Fma.MultiplyAdd(w2, Vector256.Load(x1 + o + 16), a1);
            a2 = Fma.MultiplyAdd(w2, Vector256.Load(x2 + o + 16), a2);
            a3 = Fma.MultiplyAdd(w2, Vector256.Load(x3 + o + 16), a3);
            b0 = Fma.MultiplyAdd(w3, Vector256.Load(x0 + o + 24), b0);
            b1 = Fma.MultiplyAdd(w3, Vector256.Load(x1 + o + 24), b1);
            b2 = Fma.MultiplyAdd(w3, Vector256.Load(x2 + o + 24), b2);
            b3 = Fma.MultiplyAdd(w3, Vector256.Load(x3 + o + 24), b3);
        }
        var done = (int)chunks * 32;
        // Reduced before any call, so the accumulators are not live across calls (the JIT would spill them in the loop).
        sums[0] = Vector256.Sum(a0 + b0);
        sums[1] = Vector256.Sum(a1 + b1);
        sums[2] = Vector256.Sum(a2 + b2);
        sums[3] = Vector256.Sum(a3 + b3);
        if (done < n)
            for (var t = 0; t < 4; t++) sums[t] += Tail(row, xs[t], n, done);
    }

    public static void Dot8(byte* row, int n, float** xs, float* sums)
    {
        var chunks = (nint)(n / 32);
        float* x0 = xs[0], x1 = xs[1], x2 = xs[2], x3 = xs[3], x4 = xs[4], x5 = xs[5], x6 = xs[6], x7 = xs[7];
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        Vector256<float> a4 = default, a5 = default, a6 = default, a7 = default;
        for (nint c = 0; c < chunks; c++)
        {
            TFormat.Decode256(row, c, out var w0, out var w1, out var w2, out var w3);
            var o = c * 32;
            a0 = Fma.MultiplyAdd(w0, Vector256.Load(x0 + o), a0);
            a1 = Fma.MultiplyAdd(w0, Vector256.Load(x1 + o), a1);
            a2 = Fma.MultiplyAdd(w0, Vector256.Load(x2 + o), a2);
            a3 = Fma.MultiplyAdd(w0, Vector256.Load(x3 + o), a3);
            a4 = Fma.MultiplyAdd(w0, Vector256.Load(x4 + o), a4);
            a5 = Fma.MultiplyAdd(w0, Vector256.Load(x5 + o), a5);
            a6 = Fma.MultiplyAdd(w0, Vector256.Load(x6 + o), a6);
            a7 = Fma.MultiplyAdd(w0, Vector256.Load(x7 + o), a7);
            o += 8;
            a0 = Fma.MultiplyAdd(w1, Vector256.Load(x0 + o), a0);
            a1 = Fma.MultiplyAdd(w1, Vector256.Load(x1 + o), a1);
            a2 = Fma.MultiplyAdd(w1, Vector256.Load(x2 + o), a2);
            a3 = Fma.MultiplyAdd(w1, Vector256.Load(x3 + o), a3);
            a4 = Fma.MultiplyAdd(w1, Vector256.Load(x4 + o), a4);
            a5 = Fma.MultiplyAdd(w1, Vector256.Load(x5 + o), a5);
            a6 = Fma.MultiplyAdd(w1, Vector256.Load(x6 + o), a6);
            a7 = Fma.MultiplyAdd(w1, Vector256.Load(x7 + o), a7);
            o += 8;
            a0 = Fma.MultiplyAdd(w2, Vector256.Load(x0 + o), a0);
            a1 = Fma.MultiplyAdd(w2, Vector256.Load(x1 + o), a1);
            a2 = Fma.MultiplyAdd(w2, Vector256.Load(x2 + o), a2);
            a3 = Fma.MultiplyAdd(w2, Vector256.Load(x3 + o), a3);
            a4 = Fma.MultiplyAdd(w2, Vector256.Load(x4 + o), a4);
            a5 = Fma.MultiplyAdd(w2, Vector256.Load(x5 + o), a5);
            a6 = Fma.MultiplyAdd(w2, Vector256.Load(x6 + o), a6);
            a7 = Fma.MultiplyAdd(w2, Vector256.Load(x7 + o), a7);
            o += 8;
            a0 = Fma.MultiplyAdd(w3, Vector256.Load(x0 + o), a0);
            a1 = Fma.MultiplyAdd(w3, Vector256.Load(x1 + o), a1);
            a2 = Fma.MultiplyAdd(w3, Vector256.Load(x2 + o), a2);
            a3 = Fma.MultiplyAdd(w3, Vector256.Load(x3 + o), a3);
            a4 = Fma.MultiplyAdd(w3, Vector256.Load(x4 + o), a4);
            a5 = Fma.MultiplyAdd(w3, Vector256.Load(x5 + o), a5);
            a6 = Fma.MultiplyAdd(w3, Vector256.Load(x6 + o), a6);
            a7 = Fma.MultiplyAdd(w3, Vector256.Load(x7 + o), a7);
        }
        var done = (int)chunks * 32;
        // Reduced before any call, so the accumulators are not live across calls (the JIT would spill them in the loop).
        sums[0] = Vector256.Sum(a0);
        sums[1] = Vector256.Sum(a1);
        sums[2] = Vector256.Sum(a2);
        sums[3] = Vector256.Sum(a3);
        sums[4] = Vector256.Sum(a4);
        sums[5] = Vector256.Sum(a5);
        sums[6] = Vector256.Sum(a6);
        sums[7] = Vector256.Sum(a7);
        if (done < n)
            for (var t = 0; t < 8; t++) sums[t] += Tail(row, xs[t], n, done);
    }

    /// <summary>Elements [start, start+count) of a row as floats; <paramref name="start"/> is a multiple of 32.</summary>
    public static void Dequantize(byte* row, int start, int count, float* dst)
    {
        var c = (nint)(start / 32);
        var done = 0;
        for (; count - done >= 32; done += 32, c++)
        {
            TFormat.Decode256(row, c, out var w0, out var w1, out var w2, out var w3);
            w0.Store(dst + done);
            w1.Store(dst + done + 8);
            w2.Store(dst + done + 16);
            w3.Store(dst + done + 24);
        }
        if (done < count)
            TFormat.DecodeScalar(row, c, dst + done, count - done);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float Tail(byte* row, float* x, int n, int done)
    {
        var buffer = stackalloc float[32];
        TFormat.DecodeScalar(row, done / 32, buffer, n - done);
        var sum = 0f;
        for (var i = 0; i < n - done; i++) sum += buffer[i] * x[done + i];
        return sum;
    }
}
