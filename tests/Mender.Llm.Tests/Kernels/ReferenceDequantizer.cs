using Mender.Llm.Gguf;

namespace Mender.Llm.Tests.Kernels;

/// <summary>
/// Naive float64 dequantization written straight from the ggml block definitions, loop for loop, independent of the
/// chunked decoders under test.
/// </summary>
internal static class ReferenceDequantizer
{
    public static double[] Row(GgmlType type, ReadOnlySpan<byte> row, int n)
    {
        var y = new double[n];
        switch (type)
        {
            case GgmlType.F32:
                for (var i = 0; i < n; i++) y[i] = BitConverter.ToSingle(row.Slice(4 * i, 4));
                break;
            case GgmlType.F16:
                for (var i = 0; i < n; i++) y[i] = (double)BitConverter.UInt16BitsToHalf(BitConverter.ToUInt16(row.Slice(2 * i, 2)));
                break;
            case GgmlType.BF16:
                for (var i = 0; i < n; i++) y[i] = BitConverter.UInt32BitsToSingle((uint)BitConverter.ToUInt16(row.Slice(2 * i, 2)) << 16);
                break;
            case GgmlType.Q8_0:
                for (var b = 0; b < n / 32; b++)
                {
                    var blk = row.Slice(34 * b, 34);
                    var d = Half(blk, 0);
                    for (var j = 0; j < 32; j++) y[32 * b + j] = d * (sbyte)blk[2 + j];
                }
                break;
            case GgmlType.Q4_0:
                for (var b = 0; b < n / 32; b++)
                {
                    var blk = row.Slice(18 * b, 18);
                    var d = Half(blk, 0);
                    for (var j = 0; j < 16; j++)
                    {
                        y[32 * b + j] = d * ((blk[2 + j] & 0x0F) - 8);
                        y[32 * b + j + 16] = d * ((blk[2 + j] >> 4) - 8);
                    }
                }
                break;
            case GgmlType.Q5_0:
                for (var b = 0; b < n / 32; b++)
                {
                    var blk = row.Slice(22 * b, 22);
                    var d = Half(blk, 0);
                    var qh = BitConverter.ToUInt32(blk.Slice(2, 4));
                    for (var j = 0; j < 16; j++)
                    {
                        var xh0 = (int)(((qh >> j) << 4) & 0x10);
                        var xh1 = (int)((qh >> (j + 12)) & 0x10);
                        y[32 * b + j] = d * (((blk[6 + j] & 0x0F) | xh0) - 16);
                        y[32 * b + j + 16] = d * (((blk[6 + j] >> 4) | xh1) - 16);
                    }
                }
                break;
            case GgmlType.Q4_K:
                for (var b = 0; b < n / 256; b++)
                {
                    var blk = row.Slice(144 * b, 144);
                    double d = Half(blk, 0), min = Half(blk, 2);
                    var scales = blk.Slice(4, 12);
                    var q = 16;
                    var o = 256 * b;
                    for (int j = 0, s = 0; j < 256; j += 64, s += 2, q += 32)
                    {
                        ScaleMin(scales, s, out var sc1, out var m1);
                        ScaleMin(scales, s + 1, out var sc2, out var m2);
                        for (var l = 0; l < 32; l++) y[o++] = d * sc1 * (blk[q + l] & 0xF) - min * m1;
                        for (var l = 0; l < 32; l++) y[o++] = d * sc2 * (blk[q + l] >> 4) - min * m2;
                    }
                }
                break;
            case GgmlType.Q5_K:
                for (var b = 0; b < n / 256; b++)
                {
                    var blk = row.Slice(176 * b, 176);
                    double d = Half(blk, 0), min = Half(blk, 2);
                    var scales = blk.Slice(4, 12);
                    var qh = blk.Slice(16, 32);
                    var ql = 48;
                    var o = 256 * b;
                    int u1 = 1, u2 = 2;
                    for (int j = 0, s = 0; j < 256; j += 64, s += 2, ql += 32, u1 <<= 2, u2 <<= 2)
                    {
                        ScaleMin(scales, s, out var sc1, out var m1);
                        ScaleMin(scales, s + 1, out var sc2, out var m2);
                        for (var l = 0; l < 32; l++) y[o++] = d * sc1 * ((blk[ql + l] & 0xF) + ((qh[l] & u1) != 0 ? 16 : 0)) - min * m1;
                        for (var l = 0; l < 32; l++) y[o++] = d * sc2 * ((blk[ql + l] >> 4) + ((qh[l] & u2) != 0 ? 16 : 0)) - min * m2;
                    }
                }
                break;
            case GgmlType.Q6_K:
                for (var b = 0; b < n / 256; b++)
                {
                    var blk = row.Slice(210 * b, 210);
                    var d = Half(blk, 208);
                    int ql = 0, qh = 128, sc = 192, o = 256 * b;
                    for (var half = 0; half < 2; half++, ql += 64, qh += 32, sc += 8, o += 128)
                        for (var l = 0; l < 32; l++)
                        {
                            var iS = l / 16;
                            var q1 = ((blk[ql + l] & 0xF) | (((blk[qh + l] >> 0) & 3) << 4)) - 32;
                            var q2 = ((blk[ql + l + 32] & 0xF) | (((blk[qh + l] >> 2) & 3) << 4)) - 32;
                            var q3 = ((blk[ql + l] >> 4) | (((blk[qh + l] >> 4) & 3) << 4)) - 32;
                            var q4 = ((blk[ql + l + 32] >> 4) | (((blk[qh + l] >> 6) & 3) << 4)) - 32;
                            y[o + l] = d * (sbyte)blk[sc + iS] * q1;
                            y[o + l + 32] = d * (sbyte)blk[sc + iS + 2] * q2;
                            y[o + l + 64] = d * (sbyte)blk[sc + iS + 4] * q3;
                            y[o + l + 96] = d * (sbyte)blk[sc + iS + 6] * q4;
                        }
                }
                break;
            default:
                throw new ArgumentException($"no reference for {type}");
        }
        return y;
    }

    private static double Half(ReadOnlySpan<byte> b, int at) => (double)BitConverter.UInt16BitsToHalf(BitConverter.ToUInt16(b.Slice(at, 2)));

    private static void ScaleMin(ReadOnlySpan<byte> q, int j, out int d, out int m)
    {
        if (j < 4)
        {
            d = q[j] & 63;
            m = q[j + 4] & 63;
        }
        else
        {
            d = (q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4);
            m = (q[j + 4] >> 4) | ((q[j] >> 6) << 4);
        }
    }
}
