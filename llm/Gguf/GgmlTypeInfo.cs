namespace Mender.Llm.Gguf;

/// <summary>Storage layout of each <see cref="GgmlType"/>: elements per block and bytes per block.</summary>
public static class GgmlTypeInfo
{
    /// <summary>Elements per block of the K-quants and most i-quants.</summary>
    public const int QK_K = 256;

    /// <summary>True when the type is one ggml still defines (so its block layout is known).</summary>
    public static bool IsKnown(GgmlType type) => Layout(type).BlockSize != 0;

    /// <summary>Elements stored in one block.</summary>
    public static int BlockSize(GgmlType type) => Checked(type).BlockSize;

    /// <summary>Bytes taken by one block.</summary>
    public static int BytesPerBlock(GgmlType type) => Checked(type).Bytes;

    /// <summary>Bytes of a row of <paramref name="n"/> elements; <paramref name="n"/> must be a whole number of blocks.</summary>
    public static long RowBytes(GgmlType type, long n)
    {
        var (blockSize, bytes) = Checked(type);
        if (n < 0 || n % blockSize != 0)
            throw new ArgumentException($"a row of {n} elements is not a whole number of {type} blocks ({blockSize} elements each)", nameof(n));
        return checked(n / blockSize * bytes);
    }

    private static (int BlockSize, int Bytes) Checked(GgmlType type)
    {
        var layout = Layout(type);
        if (layout.BlockSize == 0)
            throw new ArgumentException($"unknown ggml type {(uint)type}", nameof(type));
        return layout;
    }

    private static (int BlockSize, int Bytes) Layout(GgmlType type) => type switch
    {
        GgmlType.F32 => (1, 4),
        GgmlType.F16 => (1, 2),
        GgmlType.BF16 => (1, 2),
        GgmlType.F64 => (1, 8),
        GgmlType.I8 => (1, 1),
        GgmlType.I16 => (1, 2),
        GgmlType.I32 => (1, 4),
        GgmlType.I64 => (1, 8),
        GgmlType.Q4_0 => (32, 2 + 16),
        GgmlType.Q4_1 => (32, 2 + 2 + 16),
        GgmlType.Q5_0 => (32, 2 + 4 + 16),
        GgmlType.Q5_1 => (32, 2 + 2 + 4 + 16),
        GgmlType.Q8_0 => (32, 2 + 32),
        GgmlType.Q8_1 => (32, 2 + 2 + 32),
        GgmlType.Q2_K => (QK_K, 16 + 64 + 2 + 2),
        GgmlType.Q3_K => (QK_K, 32 + 64 + 12 + 2),
        GgmlType.Q4_K => (QK_K, 2 + 2 + 12 + 128),
        GgmlType.Q5_K => (QK_K, 2 + 2 + 12 + 32 + 128),
        GgmlType.Q6_K => (QK_K, 128 + 64 + 16 + 2),
        GgmlType.Q8_K => (QK_K, 4 + 256 + 32),
        GgmlType.IQ2_XXS => (QK_K, 2 + 64),
        GgmlType.IQ2_XS => (QK_K, 2 + 64 + 8),
        GgmlType.IQ3_XXS => (QK_K, 2 + 96),
        GgmlType.IQ1_S => (QK_K, 2 + 32 + 16),
        GgmlType.IQ4_NL => (32, 2 + 16),
        GgmlType.IQ3_S => (QK_K, 2 + 64 + 8 + 32 + 4),
        GgmlType.IQ2_S => (QK_K, 2 + 64 + 8 + 8),
        GgmlType.IQ4_XS => (QK_K, 2 + 2 + 4 + 128),
        GgmlType.IQ1_M => (QK_K, 32 + 16 + 8),
        GgmlType.TQ1_0 => (QK_K, 48 + 4 + 2),
        GgmlType.TQ2_0 => (QK_K, 64 + 2),
        GgmlType.MXFP4 => (32, 1 + 16),
        _ => (0, 0),
    };
}
