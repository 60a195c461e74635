using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mender.Llm.Gguf;

namespace Mender.Llm.Kernels.Formats;

/// <summary>
/// Q6_K: super-blocks of 256 (210 bytes): 128 bytes of low nibbles, 64 bytes of 2-bit high parts, sixteen int8 scales
/// (one per 16 elements) and an F16 d. Each half of 128 elements takes 64 low-nibble bytes and 32 high bytes: element l
/// (l &lt; 32) of the four 32-element quarters reads the low or high nibble of byte l or l+32 and bits 0-1, 2-3, 4-5
/// or 6-7 of high byte l; w = d·scale·(q − 32).
/// </summary>
internal readonly unsafe struct Q6_KFormat : IWeightFormat
{
    public static GgmlType Type => GgmlType.Q6_K;
    public static int BlockElements => 256;
    public static int BlockBytes => 210;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* row, nint chunk,
        out Vector512<float> w0, out Vector512<float> w1, out Vector512<float> w2, out Vector512<float> w3)
    {
        var b = row + (chunk >> 2) * 210;
        var half = (int)((chunk >> 1) & 1);
        var odd = (int)(chunk & 1);
        var ql = b + 64 * half;
        var qh = b + 128 + 32 * half;
        var sc = (sbyte*)(b + 192 + 8 * half + 4 * odd);
        var d = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b + 208));
        var shift = 4 * odd;
        var a0 = Avx512F.ConvertToVector512Int32(Vector128.Load(ql));
        var a1 = Avx512F.ConvertToVector512Int32(Vector128.Load(ql + 16));
        var c0 = Avx512F.ConvertToVector512Int32(Vector128.Load(ql + 32));
        var c1 = Avx512F.ConvertToVector512Int32(Vector128.Load(ql + 48));
        var h0 = Avx512F.ConvertToVector512Int32(Vector128.Load(qh));
        var h1 = Avx512F.ConvertToVector512Int32(Vector128.Load(qh + 16));
        var m15 = Vector512.Create(15);
        var m3 = Vector512.Create(3);
        var bias = Vector512.Create(32);
        w0 = Avx512F.ConvertToVector512Single(((Vector512.ShiftRightLogical(a0, shift) & m15) | ((Vector512.ShiftRightLogical(h0, shift) & m3) << 4)) - bias)
            * Vector512.Create(d * sc[0]);
        w1 = Avx512F.ConvertToVector512Single(((Vector512.ShiftRightLogical(a1, shift) & m15) | ((Vector512.ShiftRightLogical(h1, shift) & m3) << 4)) - bias)
            * Vector512.Create(d * sc[1]);
        w2 = Avx512F.ConvertToVector512Single(((Vector512.ShiftRightLogical(c0, shift) & m15) | ((Vector512.ShiftRightLogical(h0, shift + 2) & m3) << 4)) - bias)
            * Vector512.Create(d * sc[2]);
        w3 = Avx512F.ConvertToVector512Single(((Vector512.ShiftRightLogical(c1, shift) & m15) | ((Vector512.ShiftRightLogical(h1, shift + 2) & m3) << 4)) - bias)
            * Vector512.Create(d * sc[3]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode256(byte* row, nint chunk,
        out Vector256<float> w0, out Vector256<float> w1, out Vector256<float> w2, out Vector256<float> w3)
    {
        var b = row + (chunk >> 3) * 210;
        var half = (int)((chunk >> 2) & 1);
        var quarter = (int)(chunk & 3);
        var ql = b + 64 * half + 32 * (quarter & 1);
        var qh = b + 128 + 32 * half;
        var sc = (sbyte*)(b + 192 + 8 * half + 2 * quarter);
        var d = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b + 208));
        var nibble = (byte)(4 * (quarter >> 1));
        var high = (byte)(2 * quarter);
        var m15 = Vector256.Create(15);
        var m3 = Vector256.Create(3);
        var bias = Vector256.Create(32);
        var s0 = Vector256.Create(d * sc[0]);
        var s1 = Vector256.Create(d * sc[1]);
        w0 = Avx.ConvertToVector256Single(((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(ql), nibble) & m15)
            | ((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(qh), high) & m3) << 4)) - bias) * s0;
        w1 = Avx.ConvertToVector256Single(((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(ql + 8), nibble) & m15)
            | ((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(qh + 8), high) & m3) << 4)) - bias) * s0;
        w2 = Avx.ConvertToVector256Single(((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(ql + 16), nibble) & m15)
            | ((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(qh + 16), high) & m3) << 4)) - bias) * s1;
        w3 = Avx.ConvertToVector256Single(((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(ql + 24), nibble) & m15)
            | ((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(qh + 24), high) & m3) << 4)) - bias) * s1;
    }

    public static void DecodeScalar(byte* row, nint chunk, float* dst, int count)
    {
        var b = row + (chunk >> 3) * 210;
        var half = (int)((chunk >> 2) & 1);
        var quarter = (int)(chunk & 3);
        var ql = b + 64 * half + 32 * (quarter & 1);
        var qh = b + 128 + 32 * half;
        var sc = (sbyte*)(b + 192 + 8 * half + 2 * quarter);
        var d = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b + 208));
        var nibble = 4 * (quarter >> 1);
        var high = 2 * quarter;
        for (var l = 0; l < 32; l++)
        {
            var q = ((ql[l] >> nibble) & 15) | (((qh[l] >> high) & 3) << 4);
            dst[l] = d * sc[l >> 4] * (q - 32);
        }
    }

    public static void Quantize(float* src, byte* dst, int n)
    {
        var levels = stackalloc byte[256];
        var groupScale = stackalloc float[16];
        for (var sb = 0; sb < n / 256; sb++)
        {
            var x = src + sb * 256;
            var b = dst + sb * 210;
            // Per 16 elements the signed value of largest magnitude maps to -32; the sixteen scales share d in 8 bits.
            var maxScale = 0f;
            for (var g = 0; g < 16; g++)
            {
                var max = 0f;
                for (var i = 0; i < 16; i++)
                    if (MathF.Abs(x[16 * g + i]) > MathF.Abs(max)) max = x[16 * g + i];
                groupScale[g] = max / -32f;
                if (MathF.Abs(groupScale[g]) > MathF.Abs(maxScale)) maxScale = groupScale[g];
            }
            var sc = (sbyte*)(b + 192);
            if (maxScale == 0)
            {
                new Span<byte>(b, 210).Clear();
                continue;
            }
            var iscale = -128f / maxScale;
            Unsafe.WriteUnaligned(b + 208, HalfFloat.FromSingle(1 / iscale));
            var d = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b + 208));
            for (var g = 0; g < 16; g++)
            {
                sc[g] = (sbyte)Math.Clamp((int)MathF.Round(iscale * groupScale[g]), -128, 127);
                var step = d * sc[g];
                for (var i = 0; i < 16; i++)
                {
                    var l = step != 0 ? (int)MathF.Round(x[16 * g + i] / step) : 0;
                    levels[16 * g + i] = (byte)(Math.Clamp(l, -32, 31) + 32);
                }
            }
            for (var half = 0; half < 2; half++)
            {
                var ql = b + 64 * half;
                var qh = b + 128 + 32 * half;
                var lv = levels + 128 * half;
                for (var l = 0; l < 32; l++)
                {
                    ql[l] = (byte)((lv[l] & 15) | ((lv[l + 64] & 15) << 4));
                    ql[l + 32] = (byte)((lv[l + 32] & 15) | ((lv[l + 96] & 15) << 4));
                    qh[l] = (byte)((lv[l] >> 4) | ((lv[l + 32] >> 4) << 2) | ((lv[l + 64] >> 4) << 4) | ((lv[l + 96] >> 4) << 6));
                }
            }
        }
    }
}
