using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mender.Llm.Gguf;

namespace Mender.Llm.Kernels.Formats;

/// <summary>Q8_0: blocks of 32 int8 values with one F16 scale (34 bytes); w = d·q.</summary>
internal readonly unsafe struct Q8_0Format : IWeightFormat
{
    public static GgmlType Type => GgmlType.Q8_0;
    public static int BlockElements => 32;
    public static int BlockBytes => 34;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* row, nint chunk,
        out Vector512<float> w0, out Vector512<float> w1, out Vector512<float> w2, out Vector512<float> w3)
    {
        var b = row + chunk * 68;
        var d0 = Vector512.Create(HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b)));
        var d1 = Vector512.Create(HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b + 34)));
        w0 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)(b + 2)))) * d0;
        w1 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)(b + 18)))) * d0;
        w2 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)(b + 36)))) * d1;
        w3 = Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load((sbyte*)(b + 52)))) * d1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode256(byte* row, nint chunk,
        out Vector256<float> w0, out Vector256<float> w1, out Vector256<float> w2, out Vector256<float> w3)
    {
        var b = row + chunk * 34;
        var d = Vector256.Create(HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b)));
        var q = (sbyte*)(b + 2);
        w0 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(q)) * d;
        w1 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(q + 8)) * d;
        w2 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(q + 16)) * d;
        w3 = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(q + 24)) * d;
    }

    public static void DecodeScalar(byte* row, nint chunk, float* dst, int count)
    {
        var b = row + chunk * 34;
        var d = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b));
        var q = (sbyte*)(b + 2);
        for (var i = 0; i < 32; i++) dst[i] = q[i] * d;
    }

    public static void Quantize(float* src, byte* dst, int n)
    {
        for (var block = 0; block < n / 32; block++)
        {
            var x = src + block * 32;
            var b = dst + block * 34;
            var amax = 0f;
            for (var i = 0; i < 32; i++) amax = MathF.Max(amax, MathF.Abs(x[i]));
            var d = amax / 127f;
            var id = d != 0 ? 1f / d : 0f;
            Unsafe.WriteUnaligned(b, HalfFloat.FromSingle(d));
            for (var i = 0; i < 32; i++) ((sbyte*)(b + 2))[i] = (sbyte)MathF.Round(x[i] * id, MidpointRounding.AwayFromZero);
        }
    }
}
