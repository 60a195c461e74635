using Mender.Llm.Gguf;

namespace Mender.Llm.Kernels;

/// <summary>
/// A matrix of ggml-typed rows in memory (usually a memory-mapped GGUF tensor): <see cref="Rows"/> rows of
/// <see cref="Columns"/> elements, i.e. GGUF dimensions [ne0 = Columns, ne1 = Rows]. Multiplying it with activations
/// computes y[r] = Σ_c W[r][c]·x[c].
/// </summary>
internal sealed unsafe class WeightMatrix
{
    public WeightMatrix(string name, GgmlType type, byte* data, int rows, int columns)
    {
        if (!FormatKernels.IsSupported(type))
            throw new NotSupportedException($"tensor '{name}' has type {type}, which the kernels do not read " +
                $"(supported: {string.Join(", ", FormatKernels.SupportedTypes)})");
        if (rows < 1 || columns < 1)
            throw new InvalidDataException($"tensor '{name}' has an empty shape [{columns}, {rows}]");
        if (columns % GgmlTypeInfo.BlockSize(type) != 0)
            throw new InvalidDataException($"tensor '{name}': rows of {columns} elements are not whole {type} blocks");
        Name = name;
        Type = type;
        Data = data;
        Rows = rows;
        Columns = columns;
        RowBytes = (nint)GgmlTypeInfo.RowBytes(type, columns);
    }

    public string Name { get; }
    public GgmlType Type { get; }
    public byte* Data { get; }
    public int Rows { get; }
    public int Columns { get; }
    public nint RowBytes { get; }

    public byte* Row(int r) => Data + r * RowBytes;

    /// <summary>Row <paramref name="r"/> as floats (embedding lookups).</summary>
    public void DequantizeRow(int r, Span<float> destination)
    {
        if ((uint)r >= (uint)Rows)
            throw new ArgumentOutOfRangeException(nameof(r), r, $"'{Name}' has {Rows} rows");
        if (destination.Length < Columns)
            throw new ArgumentException($"destination holds {destination.Length} floats, the row has {Columns}", nameof(destination));
        fixed (float* dst = destination)
            FormatKernels.For(Type).Dequantize(Row(r), 0, Columns, dst);
    }
}
