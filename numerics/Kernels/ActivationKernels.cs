using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.Intrinsics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Mender.Numerics.Kernels;

/// <summary>Pointwise nonlinearities and their derivatives over spans.</summary>
internal static unsafe class ActivationKernels
{
    private const float InvSqrt2 = 0.70710678118654752f;
    private const float InvSqrt2Pi = 0.39894228040143268f;

    public static void Relu(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);

    /// <summary>gx (+)= g where y &gt; 0 (the ReLU output decides, so the input need not be kept), times scale.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackwardFromOutput(float* y, float* g, float* gx, int count, float scale, bool accumulate)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var s = Vector512.Create(scale);
            for (; i + 16 <= count; i += 16)
            {
                var v = Vector512.Load(g + i) * s & Vector512.GreaterThan(Vector512.Load(y + i), Vector512<float>.Zero);
                Vector512.Store(accumulate ? Vector512.Load(gx + i) + v : v, gx + i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; i + 8 <= count; i += 8)
            {
                var v = Vector256.Load(g + i) * s & Vector256.GreaterThan(Vector256.Load(y + i), Vector256<float>.Zero);
                Vector256.Store(accumulate ? Vector256.Load(gx + i) + v : v, gx + i);
            }
        }
        for (; i < count; i++)
        {
            var v = y[i] > 0 ? g[i] * scale : 0f;
            gx[i] = accumulate ? gx[i] + v : v;
        }
    }

    /// <summary>y = x·sigmoid(x) = x/(1 + e⁻ˣ); y may be x itself.</summary>
    public static void Silu(ReadOnlySpan<float> x, Span<float> y)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<float>.Count <= x.Length; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                (v / (Vector<float>.One + Vector.Exp(-v))).CopyTo(y[i..]);
            }
        }
        for (; i < x.Length; i++) y[i] = x[i] / (1 + MathF.Exp(-x[i]));
    }

    /// <summary>d silu / dx = s·(1 + x·(1 − s)) with s = sigmoid(x), written into d.</summary>
    public static void SiluDerivative(ReadOnlySpan<float> x, Span<float> d)
    {
        TensorPrimitives.Sigmoid(x, d);
        for (var i = 0; i < x.Length; i++)
        {
            var s = d[i];
            d[i] = s * (1 + x[i] * (1 - s));
        }
    }

    /// <summary>Exact GELU, x·Φ(x) with Φ the standard normal CDF.</summary>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var half = new Vector<float>(0.5f);
            for (; i + Vector<float>.Count <= x.Length; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                (half * v * (Vector<float>.One + Erf(v * new Vector<float>(InvSqrt2)))).CopyTo(y[i..]);
            }
        }
        for (; i < x.Length; i++) y[i] = 0.5f * x[i] * (1 + Erf(x[i] * InvSqrt2));
    }

    /// <summary>d gelu / dx = Φ(x) + x·φ(x), written into d.</summary>
    public static void GeluDerivative(ReadOnlySpan<float> x, Span<float> d)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<float>.Count <= x.Length; i += Vector<float>.Count)
            {
                var v = new Vector<float>(x[i..]);
                var cdf = new Vector<float>(0.5f) * (Vector<float>.One + Erf(v * new Vector<float>(InvSqrt2)));
                var pdf = Vector.Exp(new Vector<float>(-0.5f) * v * v) * new Vector<float>(InvSqrt2Pi);
                (cdf + v * pdf).CopyTo(d[i..]);
            }
        }
        for (; i < x.Length; i++)
        {
            var v = x[i];
            d[i] = 0.5f * (1 + Erf(v * InvSqrt2)) + v * MathF.Exp(-0.5f * v * v) * InvSqrt2Pi;
        }
    }

    // Abramowitz & Stegun 7.1.26: |error| < 1.5e-7, below float32 resolution of the result.
    private const float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f, A4 = -1.453152027f, A5 = 1.061405429f;

    public static float Erf(float x)
    {
        var a = MathF.Abs(x);
        var t = 1f / (1f + P * a);
        var poly = ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t;
        var r = 1f - poly * MathF.Exp(-a * a);
        return x < 0 ? -r : r;
    }

    private static Vector<float> Erf(Vector<float> x)
    {
        var a = Vector.Abs(x);
        var t = Vector<float>.One / (Vector<float>.One + new Vector<float>(P) * a);
        var poly = ((((new Vector<float>(A5) * t + new Vector<float>(A4)) * t + new Vector<float>(A3)) * t
            + new Vector<float>(A2)) * t + new Vector<float>(A1)) * t;
        var r = Vector<float>.One - poly * Vector.Exp(-(a * a));
        return Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), -r, r);
    }
}
