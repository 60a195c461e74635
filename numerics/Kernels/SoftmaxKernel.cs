using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mender.Numerics.Kernels;

/// <summary>
/// Numerically stable softmax of one row in place (exp(x − max)/Σ), exponentials computed once: the row is short
/// (an attention row, a vocabulary) and hot, so three fused vector passes beat composing library calls.
/// </summary>
internal static unsafe class SoftmaxKernel
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Row(float* x, int n)
    {
        if (n == 0) return;
        var max = Max(x, n);
        float sum = 0;
        var i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var m = Vector512.Create(max);
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
            {
                var e = FastExp.Exp(Vector512.Load(x + i) - m);
                e.Store(x + i);
                acc += e;
            }
            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var m = Vector256.Create(max);
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
            {
                var e = FastExp.Exp(Vector256.Load(x + i) - m);
                e.Store(x + i);
                acc += e;
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++)
        {
            var e = MathF.Exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        Scale(x, n, 1f / sum);
    }

    /// <summary>Softmax backward in place: dp = p·(dp − Σ p·dp).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardRow(float* p, float* dp, int n)
    {
        float dot = 0;
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16) acc += Vector512.Load(p + i) * Vector512.Load(dp + i);
            dot = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8) acc += Vector256.Load(p + i) * Vector256.Load(dp + i);
            dot = Vector256.Sum(acc);
        }
        for (; i < n; i++) dot += p[i] * dp[i];
        i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var d = Vector512.Create(dot);
            for (; i + 16 <= n; i += 16) (Vector512.Load(p + i) * (Vector512.Load(dp + i) - d)).Store(dp + i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var d = Vector256.Create(dot);
            for (; i + 8 <= n; i += 8) (Vector256.Load(p + i) * (Vector256.Load(dp + i) - d)).Store(dp + i);
        }
        for (; i < n; i++) dp[i] = p[i] * (dp[i] - dot);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Max(float* x, int n)
    {
        var max = float.NegativeInfinity;
        var i = 0;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512.Create(float.NegativeInfinity);
            for (; i + 16 <= n; i += 16) acc = Vector512.Max(acc, Vector512.Load(x + i));
            for (var l = 0; l < 16; l++) max = MathF.Max(max, acc[l]);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256.Create(float.NegativeInfinity);
            for (; i + 8 <= n; i += 8) acc = Vector256.Max(acc, Vector256.Load(x + i));
            for (var l = 0; l < 8; l++) max = MathF.Max(max, acc[l]);
        }
        for (; i < n; i++) max = MathF.Max(max, x[i]);
        return max;
    }

    public static void Scale(float* x, int n, float s)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var v = Vector512.Create(s);
            for (; i + 16 <= n; i += 16) (Vector512.Load(x + i) * v).Store(x + i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var v = Vector256.Create(s);
            for (; i + 8 <= n; i += 8) (Vector256.Load(x + i) * v).Store(x + i);
        }
        for (; i < n; i++) x[i] *= s;
    }
}
