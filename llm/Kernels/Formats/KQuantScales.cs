using System.Runtime.CompilerServices;

namespace Mender.Llm.Kernels.Formats;

/// <summary>
/// The 12-byte scale field of Q4_K and Q5_K: eight 6-bit scales and eight 6-bit mins. Sub-blocks 0-3 keep theirs in the
/// low 6 bits of bytes 0-3 (scales) and 4-7 (mins); sub-blocks 4-7 keep the low 4 bits in bytes 8-11 and the high 2 bits
/// in the top bits of bytes 0-7.
/// </summary>
internal static unsafe class KQuantScales
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Get(byte* scales, int j, out int scale, out int min)
    {
        if (j < 4)
        {
            scale = scales[j] & 63;
            min = scales[j + 4] & 63;
        }
        else
        {
            scale = (scales[j + 4] & 0xF) | ((scales[j - 4] >> 6) << 4);
            min = (scales[j + 4] >> 4) | ((scales[j] >> 6) << 4);
        }
    }

    public static void Set(byte* scales, int j, int scale, int min)
    {
        if (j < 4)
        {
            scales[j] = (byte)((scales[j] & 0xC0) | scale);
            scales[j + 4] = (byte)((scales[j + 4] & 0xC0) | min);
        }
        else
        {
            scales[j + 4] = (byte)((scale & 0xF) | ((min & 0xF) << 4));
            scales[j - 4] = (byte)((scales[j - 4] & 0x3F) | ((scale >> 4) << 6));
            scales[j] = (byte)((scales[j] & 0x3F) | ((min >> 4) << 6));
        }
    }

    /// <summary>
    /// Picks the super-block scales of a Q4_K/Q5_K block: per 32-element sub-block an affine range [min(0, lo), hi]
    /// quantized to <paramref name="levels"/> steps, then the eight scales and mins quantized to 6 bits. Writes d, dmin and
    /// the scale field, and returns the quantized levels of all 256 elements in <paramref name="levelsOut"/>.
    /// </summary>
    public static void QuantizeSuperBlock(float* x, int levels, byte* header, byte* levelsOut)
    {
        Span<float> scale = stackalloc float[8];
        Span<float> min = stackalloc float[8];
        float maxScale = 0, maxMin = 0;
        for (var j = 0; j < 8; j++)
        {
            float lo = 0, hi = float.MinValue;
            for (var i = 0; i < 32; i++)
            {
                lo = MathF.Min(lo, x[32 * j + i]);
                hi = MathF.Max(hi, x[32 * j + i]);
            }
            scale[j] = hi > lo ? (hi - lo) / levels : 0;
            min[j] = -lo;
            maxScale = MathF.Max(maxScale, scale[j]);
            maxMin = MathF.Max(maxMin, min[j]);
        }
        var d = maxScale / 63f;
        var dmin = maxMin / 63f;
        Unsafe.WriteUnaligned(header, HalfFloat.FromSingle(d));
        Unsafe.WriteUnaligned(header + 2, HalfFloat.FromSingle(dmin));
        var field = header + 4;
        for (var i = 0; i < 12; i++) field[i] = 0;
        for (var j = 0; j < 8; j++)
        {
            var ls = d > 0 ? Math.Min(63, (int)MathF.Round(scale[j] / d)) : 0;
            var lm = dmin > 0 ? Math.Min(63, (int)MathF.Round(min[j] / dmin)) : 0;
            Set(field, j, ls, lm);
        }
        var dq = HalfFloat.ToSingle(Unsafe.ReadUnaligned<ushort>(header));
        var mq = HalfFloat.ToSingle(Unsafe.ReadUnaligned<ushort>(header + 2));
        for (var j = 0; j < 8; j++)
        {
            Get(field, j, out var ls, out var lm);
            var step = dq * ls;
            var offset = mq * lm;
            for (var i = 0; i < 32; i++)
            {
                var l = step > 0 ? (int)MathF.Round((x[32 * j + i] + offset) / step) : 0;
                levelsOut[32 * j + i] = (byte)Math.Clamp(l, 0, levels);
            }
        }
    }
}
