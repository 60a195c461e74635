using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mender.Llm.Gguf;

namespace Mender.Llm.Kernels.Formats;

/// <summary>
/// Q4_0: blocks of 32 four-bit values with one F16 scale (18 bytes). Byte j holds element j in its low nibble and
/// element j+16 in its high nibble; w = d·(q − 8).
/// </summary>
internal readonly unsafe struct Q4_0Format : IWeightFormat
{
    public static GgmlType Type => GgmlType.Q4_0;
    public static int BlockElements => 32;
    public static int BlockBytes => 18;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* row, nint chunk,
        out Vector512<float> w0, out Vector512<float> w1, out Vector512<float> w2, out Vector512<float> w3)
    {
        var b = row + chunk * 36;
        Block512(b, out w0, out w1);
        Block512(b + 18, out w2, out w3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block512(byte* b, out Vector512<float> low, out Vector512<float> high)
    {
        var d = Vector512.Create(HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b)));
        var q = Avx512F.ConvertToVector512Int32(Vector128.Load(b + 2));
        var eight = Vector512.Create(8);
        low = Avx512F.ConvertToVector512Single((q & Vector512.Create(15)) - eight) * d;
        high = Avx512F.ConvertToVector512Single(Vector512.ShiftRightLogical(q, 4) - eight) * d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode256(byte* row, nint chunk,
        out Vector256<float> w0, out Vector256<float> w1, out Vector256<float> w2, out Vector256<float> w3)
    {
        var b = row + chunk * 18;
        var d = Vector256.Create(HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b)));
        var q0 = Avx2.ConvertToVector256Int32(b + 2);
        var q1 = Avx2.ConvertToVector256Int32(b + 10);
        var mask = Vector256.Create(15);
        var eight = Vector256.Create(8);
        w0 = Avx.ConvertToVector256Single((q0 & mask) - eight) * d;
        w1 = Avx.ConvertToVector256Single((q1 & mask) - eight) * d;
        w2 = Avx.ConvertToVector256Single(Vector256.ShiftRightLogical(q0, 4) - eight) * d;
        w3 = Avx.ConvertToVector256Single(Vector256.ShiftRightLogical(q1, 4) - eight) * d;
    }

    public static void DecodeScalar(byte* row, nint chunk, float* dst, int count)
    {
        var b = row + chunk * 18;
        var d = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b));
        var q = b + 2;
        for (var j = 0; j < 16; j++)
        {
            dst[j] = ((q[j] & 15) - 8) * d;
            dst[j + 16] = ((q[j] >> 4) - 8) * d;
        }
    }

    public static void Quantize(float* src, byte* dst, int n)
    {
        for (var block = 0; block < n / 32; block++)
        {
            var x = src + block * 32;
            var b = dst + block * 18;
            // The signed value of largest magnitude maps to -8, so the full range [-8, 7] is used.
            var max = 0f;
            for (var i = 0; i < 32; i++)
                if (MathF.Abs(x[i]) > MathF.Abs(max)) max = x[i];
            var d = max / -8f;
            var id = d != 0 ? 1f / d : 0f;
            Unsafe.WriteUnaligned(b, HalfFloat.FromSingle(d));
            for (var j = 0; j < 16; j++)
            {
                var lo = Math.Min(15, (int)(x[j] * id + 8.5f));
                var hi = Math.Min(15, (int)(x[j + 16] * id + 8.5f));
                b[2 + j] = (byte)(lo | (hi << 4));
            }
        }
    }
}
