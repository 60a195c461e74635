using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Mender.Numerics.Kernels;

/// <summary>
/// Dropout masks from <see cref="Rng.Hash"/>: element i of a call with key k is kept when Hash(k, i) ≥ p·2³².
/// The mask is a pure function of (key, index), so backward regenerates it instead of storing it, and any thread
/// split yields the same mask. The vector paths compute the identical 32-bit hash lane by lane.
/// </summary>
internal static unsafe class DropoutKernel
{
    public static uint Threshold(float p) => (uint)Math.Min(uint.MaxValue, Math.Round(p * 4294967296.0));

    public static float Scale(float p) => 1f / (1f - p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Keep(ulong key, uint index, uint threshold) => Rng.Hash(key, index) >= threshold;

    /// <summary>dst[i] (+)= src[i]·scale where element start+i is kept, 0 (or unchanged) where dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(float* src, float* dst, int count, ulong key, uint start, uint threshold, float scale, bool accumulate)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var keyLo = Vector512.Create((uint)key);
            var keyHi = Vector512.Create((uint)(key >> 32));
            var thr = Vector512.Create(threshold);
            var s = Vector512.Create(scale);
            for (; i + 16 <= count; i += 16)
            {
                var x = (Vector512.Create(start + (uint)i) + Vector512<uint>.Indices) * Vector512.Create(0x9E3779B9u) ^ keyLo;
                x ^= Vector512.ShiftRightLogical(x, 16);
                x *= Vector512.Create(0x7FEB352Du);
                x ^= Vector512.ShiftRightLogical(x, 15) ^ keyHi;
                x *= Vector512.Create(0x846CA68Bu);
                x ^= Vector512.ShiftRightLogical(x, 16);
                var keep = Vector512.GreaterThanOrEqual(x, thr).AsSingle();
                var v = Vector512.Load(src + i) * s & keep;
                Vector512.Store(accumulate ? Vector512.Load(dst + i) + v : v, dst + i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var keyLo = Vector256.Create((uint)key);
            var keyHi = Vector256.Create((uint)(key >> 32));
            var thr = Vector256.Create(threshold);
            var s = Vector256.Create(scale);
            for (; i + 8 <= count; i += 8)
            {
                var x = (Vector256.Create(start + (uint)i) + Vector256<uint>.Indices) * Vector256.Create(0x9E3779B9u) ^ keyLo;
                x ^= Vector256.ShiftRightLogical(x, 16);
                x *= Vector256.Create(0x7FEB352Du);
                x ^= Vector256.ShiftRightLogical(x, 15) ^ keyHi;
                x *= Vector256.Create(0x846CA68Bu);
                x ^= Vector256.ShiftRightLogical(x, 16);
                var keep = Vector256.GreaterThanOrEqual(x, thr).AsSingle();
                var v = Vector256.Load(src + i) * s & keep;
                Vector256.Store(accumulate ? Vector256.Load(dst + i) + v : v, dst + i);
            }
        }
        for (; i < count; i++)
        {
            var v = Keep(key, start + (uint)i, threshold) ? src[i] * scale : 0f;
            dst[i] = accumulate ? dst[i] + v : v;
        }
    }
}
