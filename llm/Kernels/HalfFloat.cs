using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Mender.Llm.Kernels;

/// <summary>
/// IEEE half (F16) and bfloat16 conversions. The CPU's F16C conversion is not exposed by .NET, so F16 is widened with
/// integer arithmetic: the exponent and mantissa bits are shifted into place and rescaled by 2^112, which is exact for
/// normal and subnormal halves alike.
/// </summary>
internal static class HalfFloat
{
    private const float Rebias = 5.192296858534828e33f; // 2^(127-15)

    // Every half as a float (256 KB). Block scales of quantized weights are converted through it: one load instead of a
    // dozen integer and float instructions that would compete with the vector work for the same ports.
    private static readonly unsafe float* Table = BuildTable();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort h)
    {
        uint magnitude = h & 0x7fffu;
        var bits = BitConverter.SingleToUInt32Bits(BitConverter.UInt32BitsToSingle(magnitude << 13) * Rebias);
        if (magnitude >= 0x7c00u)
            bits = 0x7f800000u | ((magnitude & 0x3ffu) << 13);
        return BitConverter.UInt32BitsToSingle(bits | ((uint)(h & 0x8000) << 16));
    }

    /// <summary>The same as <see cref="ToSingle(ushort)"/>, by table lookup.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe float Lookup(ushort h) => Table[h];

    private static unsafe float* BuildTable()
    {
        var table = (float*)NativeMemory.AlignedAlloc(65536 * sizeof(float), 64);
        for (var h = 0; h < 65536; h++) table[h] = ToSingle((ushort)h);
        return table;
    }

    /// <summary>Round to nearest even, as ggml's fp32 to fp16 conversion.</summary>
    public static ushort FromSingle(float f) => BitConverter.HalfToUInt16Bits((Half)f);

    /// <summary>Half bits held zero-extended in each 32-bit lane, widened to floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ToSingle(Vector512<uint> h)
    {
        var magnitude = h & Vector512.Create(0x7fffu);
        var scaled = (magnitude << 13).AsSingle() * Vector512.Create(Rebias);
        var special = Vector512.GreaterThanOrEqual(magnitude, Vector512.Create(0x7c00u));
        var infOrNan = (magnitude << 13) | Vector512.Create(0x7f800000u);
        var bits = Vector512.ConditionalSelect(special, infOrNan, scaled.AsUInt32());
        return (bits | ((h & Vector512.Create(0x8000u)) << 16)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ToSingle(Vector256<uint> h)
    {
        var magnitude = h & Vector256.Create(0x7fffu);
        var scaled = (magnitude << 13).AsSingle() * Vector256.Create(Rebias);
        var special = Vector256.GreaterThanOrEqual(magnitude, Vector256.Create(0x7c00u));
        var infOrNan = (magnitude << 13) | Vector256.Create(0x7f800000u);
        var bits = Vector256.ConditionalSelect(special, infOrNan, scaled.AsUInt32());
        return (bits | ((h & Vector256.Create(0x8000u)) << 16)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float BFloat16ToSingle(ushort b) => BitConverter.UInt32BitsToSingle((uint)b << 16);

    /// <summary>Round to nearest even, keeping NaN a NaN (as ggml's fp32 to bf16 conversion).</summary>
    public static ushort BFloat16FromSingle(float f)
    {
        var u = BitConverter.SingleToUInt32Bits(f);
        if ((u & 0x7fffffffu) > 0x7f800000u)
            return (ushort)((u >> 16) | 64);
        return (ushort)((u + (0x7fffu + ((u >> 16) & 1))) >> 16);
    }
}
