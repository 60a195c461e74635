using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mender.Llm.Gguf;

namespace Mender.Llm.Kernels.Formats;

/// <summary>
/// Q5_K: super-blocks of 256 (176 bytes): F16 d and dmin, twelve bytes of 6-bit scales and mins, 32 bytes of fifth
/// bits (bit s of byte l belongs to element l of sub-block s), then 128 bytes of nibbles laid out as in Q4_K;
/// w = d·scale·q − dmin·min.
/// </summary>
internal readonly unsafe struct Q5_KFormat : IWeightFormat
{
    public static GgmlType Type => GgmlType.Q5_K;
    public static int BlockElements => 256;
    public static int BlockBytes => 176;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* row, nint chunk,
        out Vector512<float> w0, out Vector512<float> w1, out Vector512<float> w2, out Vector512<float> w3)
    {
        var b = row + (chunk >> 2) * 176;
        var j = (int)(chunk & 3);
        var d = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b));
        var dmin = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b + 2));
        KQuantScales.Get(b + 4, 2 * j, out var sc1, out var m1);
        KQuantScales.Get(b + 4, 2 * j + 1, out var sc2, out var m2);
        var q = b + 48 + 32 * j;
        var v0 = Avx512F.ConvertToVector512Int32(Vector128.Load(q));
        var v1 = Avx512F.ConvertToVector512Int32(Vector128.Load(q + 16));
        var h0 = Avx512F.ConvertToVector512Int32(Vector128.Load(b + 16));
        var h1 = Avx512F.ConvertToVector512Int32(Vector128.Load(b + 32));
        var mask = Vector512.Create(15);
        var one = Vector512.Create(1);
        var lowBit = 2 * j;
        var highBit = 2 * j + 1;
        var s1 = Vector512.Create(d * sc1);
        var o1 = Vector512.Create(-(dmin * m1));
        var s2 = Vector512.Create(d * sc2);
        var o2 = Vector512.Create(-(dmin * m2));
        w0 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single((v0 & mask) | ((Vector512.ShiftRightLogical(h0, lowBit) & one) << 4)), s1, o1);
        w1 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single((v1 & mask) | ((Vector512.ShiftRightLogical(h1, lowBit) & one) << 4)), s1, o1);
        w2 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(Vector512.ShiftRightLogical(v0, 4) | ((Vector512.ShiftRightLogical(h0, highBit) & one) << 4)), s2, o2);
        w3 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(Vector512.ShiftRightLogical(v1, 4) | ((Vector512.ShiftRightLogical(h1, highBit) & one) << 4)), s2, o2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode256(byte* row, nint chunk,
        out Vector256<float> w0, out Vector256<float> w1, out Vector256<float> w2, out Vector256<float> w3)
    {
        var b = row + (chunk >> 3) * 176;
        var s = (int)(chunk & 7);
        var d = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b));
        var dmin = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b + 2));
        KQuantScales.Get(b + 4, s, out var sc, out var m);
        var q = b + 48 + 32 * (s >> 1);
        var h = b + 16;
        var shift = (byte)((s & 1) * 4);
        var bit = (byte)s;
        var mask = Vector256.Create(15);
        var one = Vector256.Create(1);
        var scale = Vector256.Create(d * sc);
        var offset = Vector256.Create(-(dmin * m));
        w0 = Fma.MultiplyAdd(Avx.ConvertToVector256Single((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(q), shift) & mask)
            | ((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(h), bit) & one) << 4)), scale, offset);
        w1 = Fma.MultiplyAdd(Avx.ConvertToVector256Single((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(q + 8), shift) & mask)
            | ((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(h + 8), bit) & one) << 4)), scale, offset);
        w2 = Fma.MultiplyAdd(Avx.ConvertToVector256Single((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(q + 16), shift) & mask)
            | ((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(h + 16), bit) & one) << 4)), scale, offset);
        w3 = Fma.MultiplyAdd(Avx.ConvertToVector256Single((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(q + 24), shift) & mask)
            | ((Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(h + 24), bit) & one) << 4)), scale, offset);
    }

    public static void DecodeScalar(byte* row, nint chunk, float* dst, int count)
    {
        var b = row + (chunk >> 3) * 176;
        var s = (int)(chunk & 7);
        var d = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b));
        var dmin = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b + 2));
        KQuantScales.Get(b + 4, s, out var sc, out var m);
        var q = b + 48 + 32 * (s >> 1);
        var h = b + 16;
        var shift = (s & 1) * 4;
        var scale = d * sc;
        var offset = dmin * m;
        for (var l = 0; l < 32; l++)
            dst[l] = scale * (((q[l] >> shift) & 15) | (((h[l] >> s) & 1) << 4)) - offset;
    }

    public static void Quantize(float* src, byte* dst, int n)
    {
        var levels = stackalloc byte[256];
        for (var sb = 0; sb < n / 256; sb++)
        {
            var x = src + sb * 256;
            var b = dst + sb * 176;
            KQuantScales.QuantizeSuperBlock(x, 31, b, levels);
            for (var l = 0; l < 32; l++) b[16 + l] = 0;
            for (var j = 0; j < 4; j++)
                for (var l = 0; l < 32; l++)
                {
                    int lo = levels[64 * j + l], hi = levels[64 * j + 32 + l];
                    b[48 + 32 * j + l] = (byte)((lo & 15) | ((hi & 15) << 4));
                    b[16 + l] |= (byte)(((lo >> 4) << (2 * j)) | ((hi >> 4) << (2 * j + 1)));
                }
        }
    }
}
