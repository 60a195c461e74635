using Mender.Llm.Gguf;
using Mender.Llm.Kernels.Formats;

namespace Mender.Llm.Kernels;

/// <summary>The row kernels of one weight format on one SIMD path, as function pointers chosen once per matrix call.</summary>
internal readonly unsafe struct FormatKernels
{
    /// <summary>row · x over n elements.</summary>
    public readonly delegate*<byte*, float*, int, float> Dot1;

    /// <summary>row · xs[t] for t &lt; 4, into sums[t].</summary>
    public readonly delegate*<byte*, int, float**, float*, void> Dot4;

    /// <summary>row · xs[t] for t &lt; 8, into sums[t].</summary>
    public readonly delegate*<byte*, int, float**, float*, void> Dot8;

    /// <summary>(row, start, count, dst): elements [start, start+count) as floats; start is a multiple of 64.</summary>
    public readonly delegate*<byte*, int, int, float*, void> Dequantize;

    private FormatKernels(
        delegate*<byte*, float*, int, float> dot1,
        delegate*<byte*, int, float**, float*, void> dot4,
        delegate*<byte*, int, float**, float*, void> dot8,
        delegate*<byte*, int, int, float*, void> dequantize)
    {
        Dot1 = dot1;
        Dot4 = dot4;
        Dot8 = dot8;
        Dequantize = dequantize;
    }

    /// <summary>The weight types the kernels read.</summary>
    public static IReadOnlyList<GgmlType> SupportedTypes { get; } =
    [
        GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q5_0,
        GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K,
    ];

    public static bool IsSupported(GgmlType type) => SupportedTypes.Contains(type);

    public static FormatKernels For(GgmlType type) => For(type, KernelPaths.Current);

    public static FormatKernels For(GgmlType type, SimdPath path) => type switch
    {
        GgmlType.F32 => Make<F32Format>(path),
        GgmlType.F16 => Make<F16Format>(path),
        GgmlType.BF16 => Make<BF16Format>(path),
        GgmlType.Q8_0 => Make<Q8_0Format>(path),
        GgmlType.Q4_0 => Make<Q4_0Format>(path),
        GgmlType.Q5_0 => Make<Q5_0Format>(path),
        GgmlType.Q4_K => Make<Q4_KFormat>(path),
        GgmlType.Q5_K => Make<Q5_KFormat>(path),
        GgmlType.Q6_K => Make<Q6_KFormat>(path),
        _ => throw new NotSupportedException($"weights of type {type} are not supported (supported: {string.Join(", ", SupportedTypes)})"),
    };

    /// <summary>Encodes one row of floats in <paramref name="type"/> (the simple reference quantizers, for tests and random models).</summary>
    public static void Quantize(GgmlType type, float* src, byte* dst, int n)
    {
        switch (type)
        {
            case GgmlType.F32: F32Format.Quantize(src, dst, n); break;
            case GgmlType.F16: F16Format.Quantize(src, dst, n); break;
            case GgmlType.BF16: BF16Format.Quantize(src, dst, n); break;
            case GgmlType.Q8_0: Q8_0Format.Quantize(src, dst, n); break;
            case GgmlType.Q4_0: Q4_0Format.Quantize(src, dst, n); break;
            case GgmlType.Q5_0: Q5_0Format.Quantize(src, dst, n); break;
            case GgmlType.Q4_K: Q4_KFormat.Quantize(src, dst, n); break;
            case GgmlType.Q5_K: Q5_KFormat.Quantize(src, dst, n); break;
            case GgmlType.Q6_K: Q6_KFormat.Quantize(src, dst, n); break;
            default: throw new NotSupportedException($"cannot quantize to {type}");
        }
    }

    private static FormatKernels Make<TFormat>(SimdPath path) where TFormat : IWeightFormat => path switch
    {
        SimdPath.Avx512 => new(&RowKernels512<TFormat>.Dot1, &RowKernels512<TFormat>.Dot4,
            &RowKernels512<TFormat>.Dot8, &RowKernels512<TFormat>.Dequantize),
        SimdPath.Avx2 => new(&RowKernels256<TFormat>.Dot1, &RowKernels256<TFormat>.Dot4,
            &RowKernels256<TFormat>.Dot8, &RowKernels256<TFormat>.Dequantize),
        _ => new(&RowKernelsScalar<TFormat>.Dot1, &RowKernelsScalar<TFormat>.Dot4,
            &RowKernelsScalar<TFormat>.Dot8, &RowKernelsScalar<TFormat>.Dequantize),
    };
}
