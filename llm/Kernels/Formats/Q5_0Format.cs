using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Mender.Llm.Gguf;

namespace Mender.Llm.Kernels.Formats;

/// <summary>
/// Q5_0: blocks of 32 five-bit values (22 bytes): F16 scale, a 32-bit word of fifth bits (bit j for element j), then
/// nibbles laid out as in Q4_0; w = d·(q − 16).
/// </summary>
internal readonly unsafe struct Q5_0Format : IWeightFormat
{
    public static GgmlType Type => GgmlType.Q5_0;
    public static int BlockElements => 32;
    public static int BlockBytes => 22;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode512(byte* row, nint chunk,
        out Vector512<float> w0, out Vector512<float> w1, out Vector512<float> w2, out Vector512<float> w3)
    {
        var b = row + chunk * 44;
        Block512(b, out w0, out w1);
        Block512(b + 22, out w2, out w3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block512(byte* b, out Vector512<float> low, out Vector512<float> high)
    {
        var d = Vector512.Create(HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b)));
        var qh = Vector512.Create(Unsafe.ReadUnaligned<uint>(b + 2));
        var lane = Vector512.Create(0u, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var one = Vector512.Create(1u);
        var hLow = (Avx512F.ShiftRightLogicalVariable(qh, lane) & one) << 4;
        var hHigh = (Avx512F.ShiftRightLogicalVariable(qh, lane + Vector512.Create(16u)) & one) << 4;
        var q = Avx512F.ConvertToVector512UInt32(Vector128.Load(b + 6));
        var sixteen = Vector512.Create(16);
        low = Avx512F.ConvertToVector512Single(((q & Vector512.Create(15u)) | hLow).AsInt32() - sixteen) * d;
        high = Avx512F.ConvertToVector512Single((Vector512.ShiftRightLogical(q, 4) | hHigh).AsInt32() - sixteen) * d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Decode256(byte* row, nint chunk,
        out Vector256<float> w0, out Vector256<float> w1, out Vector256<float> w2, out Vector256<float> w3)
    {
        var b = row + chunk * 22;
        var d = Vector256.Create(HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b)));
        var qh = Vector256.Create(Unsafe.ReadUnaligned<uint>(b + 2));
        var lane = Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);
        var one = Vector256.Create(1u);
        var h0 = (Avx2.ShiftRightLogicalVariable(qh, lane) & one) << 4;
        var h1 = (Avx2.ShiftRightLogicalVariable(qh, lane + Vector256.Create(8u)) & one) << 4;
        var h2 = (Avx2.ShiftRightLogicalVariable(qh, lane + Vector256.Create(16u)) & one) << 4;
        var h3 = (Avx2.ShiftRightLogicalVariable(qh, lane + Vector256.Create(24u)) & one) << 4;
        var q0 = Avx2.ConvertToVector256Int32(b + 6).AsUInt32();
        var q1 = Avx2.ConvertToVector256Int32(b + 14).AsUInt32();
        var mask = Vector256.Create(15u);
        var sixteen = Vector256.Create(16);
        w0 = Avx.ConvertToVector256Single(((q0 & mask) | h0).AsInt32() - sixteen) * d;
        w1 = Avx.ConvertToVector256Single(((q1 & mask) | h1).AsInt32() - sixteen) * d;
        w2 = Avx.ConvertToVector256Single((Vector256.ShiftRightLogical(q0, 4) | h2).AsInt32() - sixteen) * d;
        w3 = Avx.ConvertToVector256Single((Vector256.ShiftRightLogical(q1, 4) | h3).AsInt32() - sixteen) * d;
    }

    public static void DecodeScalar(byte* row, nint chunk, float* dst, int count)
    {
        var b = row + chunk * 22;
        var d = HalfFloat.Lookup(Unsafe.ReadUnaligned<ushort>(b));
        var qh = Unsafe.ReadUnaligned<uint>(b + 2);
        var q = b + 6;
        for (var j = 0; j < 16; j++)
        {
            var lo = (q[j] & 15) | (int)(((qh >> j) & 1) << 4);
            var hi = (q[j] >> 4) | (int)(((qh >> (j + 16)) & 1) << 4);
            dst[j] = (lo - 16) * d;
            dst[j + 16] = (hi - 16) * d;
        }
    }

    public static void Quantize(float* src, byte* dst, int n)
    {
        for (var block = 0; block < n / 32; block++)
        {
            var x = src + block * 32;
            var b = dst + block * 22;
            var max = 0f;
            for (var i = 0; i < 32; i++)
                if (MathF.Abs(x[i]) > MathF.Abs(max)) max = x[i];
            var d = max / -16f;
            var id = d != 0 ? 1f / d : 0f;
            Unsafe.WriteUnaligned(b, HalfFloat.FromSingle(d));
            uint qh = 0;
            for (var j = 0; j < 16; j++)
            {
                var lo = Math.Min(31, (int)(x[j] * id + 16.5f));
                var hi = Math.Min(31, (int)(x[j + 16] * id + 16.5f));
                b[6 + j] = (byte)((lo & 15) | ((hi & 15) << 4));
                qh |= (uint)((lo >> 4) & 1) << j;
                qh |= (uint)((hi >> 4) & 1) << (j + 16);
            }
            Unsafe.WriteUnaligned(b + 2, qh);
        }
    }
}
