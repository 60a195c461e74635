using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Mender.Llm.Gguf;

namespace Mender.Llm.Kernels.Formats;

/// <summary>Plain float32 weights.</summary>
internal readonly unsafe struct F32Format : IWeightFormat
{
    public static GgmlType Type => GgmlType.F32;
    public static int BlockElements => 1;
    public static int BlockBytes => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* row, nint chunk,
        out Vector512<float> w0, out Vector512<float> w1, out Vector512<float> w2, out Vector512<float> w3)
    {
        var p = (float*)row + chunk * 64;
        w0 = Vector512.Load(p);
        w1 = Vector512.Load(p + 16);
        w2 = Vector512.Load(p + 32);
        w3 = Vector512.Load(p + 48);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode256(byte* row, nint chunk,
        out Vector256<float> w0, out Vector256<float> w1, out Vector256<float> w2, out Vector256<float> w3)
    {
        var p = (float*)row + chunk * 32;
        w0 = Vector256.Load(p);
        w1 = Vector256.Load(p + 8);
        w2 = Vector256.Load(p + 16);
        w3 = Vector256.Load(p + 24);
    }

    public static void DecodeScalar(byte* row, nint chunk, float* dst, int count)
    {
        var p = (float*)row + chunk * 32;
        for (var i = 0; i < count; i++) dst[i] = p[i];
    }

    public static void Quantize(float* src, byte* dst, int n) =>
        Buffer.MemoryCopy(src, dst, (long)n * 4, (long)n * 4);
}
