using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mender.Numerics.Kernels;

/// <summary>
/// Layer/RMS normalization of one row in a few fused AVX-512 passes (rows whose width is a multiple of 16). Other
/// machines and widths take the composed TensorPrimitives path in the operation itself.
/// </summary>
internal static unsafe class NormKernel
{
    public static bool Applies(int n) => Vector512.IsHardwareAccelerated && n % 16 == 0;

    /// <summary>y = (x − mean)·rstd·γ + β (mean 0 for RMS); returns the row's mean and reciprocal deviation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (float Mean, float Rstd) Forward(float* x, float* y, int n, float* gamma, float* beta, float eps, bool rms)
    {
        var mean = 0f;
        if (!rms)
        {
            var s = Vector512<float>.Zero;
            for (var i = 0; i < n; i += 16) s += Vector512.Load(x + i);
            mean = Vector512.Sum(s) / n;
        }
        var m = Vector512.Create(mean);
        var sq = Vector512<float>.Zero;
        for (var i = 0; i < n; i += 16)
        {
            var d = Vector512.Load(x + i) - m;
            sq += d * d;
        }
        var rstd = 1f / MathF.Sqrt(Vector512.Sum(sq) / n + eps);
        var r = Vector512.Create(rstd);
        for (var i = 0; i < n; i += 16)
        {
            var v = (Vector512.Load(x + i) - m) * r;
            if (gamma != null) v *= Vector512.Load(gamma + i);
            if (beta != null) v += Vector512.Load(beta + i);
            v.Store(y + i);
        }
        return (mean, rstd);
    }

    /// <summary>
    /// Backward of one row: adds g·x̂ and g into the per-parameter partial sums (when given) and writes (or adds)
    /// gx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = g·γ (the mean(ĝ) term absent for RMS).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(float* x, float* g, float* gamma, float mean, float rstd, int n, bool rms,
        float* gammaPartial, float* betaPartial, float* gx, bool accumulate)
    {
        var m = Vector512.Create(mean);
        var r = Vector512.Create(rstd);
        var sumG = Vector512<float>.Zero;
        var sumGX = Vector512<float>.Zero;
        for (var i = 0; i < n; i += 16)
        {
            var xh = (Vector512.Load(x + i) - m) * r;
            var gv = Vector512.Load(g + i);
            if (gammaPartial != null) (Vector512.Load(gammaPartial + i) + gv * xh).Store(gammaPartial + i);
            if (betaPartial != null) (Vector512.Load(betaPartial + i) + gv).Store(betaPartial + i);
            var gh = gamma != null ? gv * Vector512.Load(gamma + i) : gv;
            sumG += gh;
            sumGX += gh * xh;
        }
        if (gx == null) return;
        var meanG = Vector512.Create(rms ? 0f : Vector512.Sum(sumG) / n);
        var meanGX = Vector512.Create(Vector512.Sum(sumGX) / n);
        for (var i = 0; i < n; i += 16)
        {
            var xh = (Vector512.Load(x + i) - m) * r;
            var gv = Vector512.Load(g + i);
            var gh = gamma != null ? gv * Vector512.Load(gamma + i) : gv;
            var v = r * (gh - meanG - xh * meanGX);
            if (accumulate) v += Vector512.Load(gx + i);
            v.Store(gx + i);
        }
    }
}
