using Mender.Llm.Gguf;

namespace Mender.Llm.Tests.Kernels;

/// <summary>
/// Random rows in any supported format. Quantized blocks get random bytes everywhere (every bit pattern of the quants
/// and packed scales occurs) except the F16 scale fields, which are set to moderate values so no block decodes to
/// infinities.
/// </summary>
internal static class RandomWeights
{
    public static byte[] Row(GgmlType type, int n, Random rng)
    {
        var bytes = new byte[GgmlTypeInfo.RowBytes(type, n)];
        rng.NextBytes(bytes);
        switch (type)
        {
            case GgmlType.F32:
                for (var i = 0; i < n; i++) BitConverter.TryWriteBytes(bytes.AsSpan(4 * i), Normal(rng));
                break;
            case GgmlType.F16:
                for (var i = 0; i < n; i++) BitConverter.TryWriteBytes(bytes.AsSpan(2 * i), BitConverter.HalfToUInt16Bits((Half)Normal(rng)));
                break;
            case GgmlType.BF16:
                for (var i = 0; i < n; i++) BitConverter.TryWriteBytes(bytes.AsSpan(2 * i), (ushort)(BitConverter.SingleToUInt32Bits(Normal(rng)) >> 16));
                break;
            case GgmlType.Q8_0: SetScales(bytes, 34, [0], rng); break;
            case GgmlType.Q4_0: SetScales(bytes, 18, [0], rng); break;
            case GgmlType.Q5_0: SetScales(bytes, 22, [0], rng); break;
            case GgmlType.Q4_K: SetScales(bytes, 144, [0, 2], rng); break;
            case GgmlType.Q5_K: SetScales(bytes, 176, [0, 2], rng); break;
            case GgmlType.Q6_K: SetScales(bytes, 210, [208], rng); break;
            default: throw new ArgumentException($"no generator for {type}");
        }
        return bytes;
    }

    public static float[] Floats(int n, Random rng)
    {
        var x = new float[n];
        for (var i = 0; i < n; i++) x[i] = Normal(rng);
        return x;
    }

    public static float Normal(Random rng) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));

    private static void SetScales(byte[] bytes, int blockBytes, int[] offsets, Random rng)
    {
        for (var b = 0; b < bytes.Length; b += blockBytes)
            foreach (var o in offsets)
            {
                var scale = (Half)((rng.NextDouble() * 2 - 1) * 0.05);
                BitConverter.TryWriteBytes(bytes.AsSpan(b + o), BitConverter.HalfToUInt16Bits(scale));
            }
    }
}
