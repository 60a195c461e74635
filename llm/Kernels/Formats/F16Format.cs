using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mender.Llm.Gguf;

namespace Mender.Llm.Kernels.Formats;

/// <summary>IEEE half-precision weights.</summary>
internal readonly unsafe struct F16Format : IWeightFormat
{
    public static GgmlType Type => GgmlType.F16;
    public static int BlockElements => 1;
    public static int BlockBytes => 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* row, nint chunk,
        out Vector512<float> w0, out Vector512<float> w1, out Vector512<float> w2, out Vector512<float> w3)
    {
        var p = (ushort*)row + chunk * 64;
        w0 = HalfFloat.ToSingle(Avx512F.ConvertToVector512UInt32(Vector256.Load(p)));
        w1 = HalfFloat.ToSingle(Avx512F.ConvertToVector512UInt32(Vector256.Load(p + 16)));
        w2 = HalfFloat.ToSingle(Avx512F.ConvertToVector512UInt32(Vector256.Load(p + 32)));
        w3 = HalfFloat.ToSingle(Avx512F.ConvertToVector512UInt32(Vector256.Load(p + 48)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode256(byte* row, nint chunk,
        out Vector256<float> w0, out Vector256<float> w1, out Vector256<float> w2, out Vector256<float> w3)
    {
        var p = (ushort*)row + chunk * 32;
        w0 = HalfFloat.ToSingle(Avx2.ConvertToVector256Int32(p).AsUInt32());
        w1 = HalfFloat.ToSingle(Avx2.ConvertToVector256Int32(p + 8).AsUInt32());
        w2 = HalfFloat.ToSingle(Avx2.ConvertToVector256Int32(p + 16).AsUInt32());
        w3 = HalfFloat.ToSingle(Avx2.ConvertToVector256Int32(p + 24).AsUInt32());
    }

    public static void DecodeScalar(byte* row, nint chunk, float* dst, int count)
    {
        var p = (ushort*)row + chunk * 32;
        for (var i = 0; i < count; i++) dst[i] = HalfFloat.ToSingle(p[i]);
    }

    public static void Quantize(float* src, byte* dst, int n)
    {
        var d = (ushort*)dst;
        for (var i = 0; i < n; i++) d[i] = HalfFloat.FromSingle(src[i]);
    }
}
