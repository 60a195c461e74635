using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mender.Llm.Gguf;

namespace Mender.Llm.Kernels.Formats;

/// <summary>
/// Q4_K: super-blocks of 256 (144 bytes): F16 d and dmin, twelve bytes of 6-bit sub-block scales and mins
/// (<see cref="KQuantScales"/>), then 128 bytes of nibbles. Each 64-element stretch j uses bytes 32j..32j+31: low nibbles
/// for sub-block 2j, high nibbles for 2j+1; w = d·scale·q − dmin·min.
/// </summary>
internal readonly unsafe struct Q4_KFormat : IWeightFormat
{
    public static GgmlType Type => GgmlType.Q4_K;
    public static int BlockElements => 256;
    public static int BlockBytes => 144;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* row, nint chunk,
        out Vector512<float> w0, out Vector512<float> w1, out Vector512<float> w2, out Vector512<float> w3)
    {
        var b = row + (chunk >> 2) * 144;
        var j = (int)(chunk & 3);
        var d = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b));
        var dmin = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b + 2));
        KQuantScales.Get(b + 4, 2 * j, out var sc1, out var m1);
        KQuantScales.Get(b + 4, 2 * j + 1, out var sc2, out var m2);
        var q = b + 16 + 32 * j;
        var v0 = Avx512F.ConvertToVector512Int32(Vector128.Load(q));
        var v1 = Avx512F.ConvertToVector512Int32(Vector128.Load(q + 16));
        var mask = Vector512.Create(15);
        var s1 = Vector512.Create(d * sc1);
        var o1 = Vector512.Create(-(dmin * m1));
        var s2 = Vector512.Create(d * sc2);
        var o2 = Vector512.Create(-(dmin * m2));
        w0 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(v0 & mask), s1, o1);
        w1 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(v1 & mask), s1, o1);
        w2 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(Vector512.ShiftRightLogical(v0, 4)), s2, o2);
        w3 = Avx512F.FusedMultiplyAdd(Avx512F.ConvertToVector512Single(Vector512.ShiftRightLogical(v1, 4)), s2, o2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode256(byte* row, nint chunk,
        out Vector256<float> w0, out Vector256<float> w1, out Vector256<float> w2, out Vector256<float> w3)
    {
        var b = row + (chunk >> 3) * 144;
        var s = (int)(chunk & 7);
        var d = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b));
        var dmin = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b + 2));
        KQuantScales.Get(b + 4, s, out var sc, out var m);
        var q = b + 16 + 32 * (s >> 1);
        var shift = (byte)((s & 1) * 4);
        var mask = Vector256.Create(15);
        var scale = Vector256.Create(d * sc);
        var offset = Vector256.Create(-(dmin * m));
        w0 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(q), shift) & mask), scale, offset);
        w1 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(q + 8), shift) & mask), scale, offset);
        w2 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(q + 16), shift) & mask), scale, offset);
        w3 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Vector256.ShiftRightLogical(Avx2.ConvertToVector256Int32(q + 24), shift) & mask), scale, offset);
    }

    public static void DecodeScalar(byte* row, nint chunk, float* dst, int count)
    {
        var b = row + (chunk >> 3) * 144;
        var s = (int)(chunk & 7);
        var d = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b));
        var dmin = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b + 2));
        KQuantScales.Get(b + 4, s, out var sc, out var m);
        var q = b + 16 + 32 * (s >> 1);
        var shift = (s & 1) * 4;
        var scale = d * sc;
        var offset = dmin * m;
        for (var l = 0; l < 32; l++) dst[l] = scale * ((q[l] >> shift) & 15) - offset;
    }

    public static void Quantize(float* src, byte* dst, int n)
    {
        var levels = stackalloc byte[256];
        for (var sb = 0; sb < n / 256; sb++)
        {
            var x = src + sb * 256;
            var b = dst + sb * 144;
            KQuantScales.QuantizeSuperBlock(x, 15, b, levels);
            for (var j = 0; j < 4; j++)
                for (var l = 0; l < 32; l++)
                    b[16 + 32 * j + l] = (byte)(levels[64 * j + l] | (levels[64 * j + 32 + l] << 4));
        }
    }
}
