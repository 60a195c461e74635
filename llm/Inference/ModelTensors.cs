using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Mender.Llm.Gguf;
using Mender.Llm.Kernels;

namespace Mender.Llm.Inference;

/// <summary>
/// Looks tensors up by llama.cpp name and checks their shapes. Matrices stay in the file's memory map; the small 1-D
/// tensors (norm weights, biases) are copied out as floats into pinned arrays.
/// </summary>
internal sealed unsafe class ModelTensors(GgufFile file)
{
    public GgufFile File { get; } = file;

    /// <summary>A matrix with GGUF dimensions [<paramref name="columns"/>, <paramref name="rows"/>].</summary>
    public WeightMatrix Matrix(string name, int columns, int rows) =>
        OptionalMatrix(name, columns, rows) ?? throw Missing(name);

    public WeightMatrix? OptionalMatrix(string name, int columns, int rows)
    {
        var info = File.FindTensor(name);
        if (info is null) return null;
        if (info.Dimensions.Length != 2 || info.Dimensions[0] != columns || info.Dimensions[1] != rows)
            throw new InvalidDataException($"'{File.Path}': tensor '{name}' has shape [{string.Join(", ", info.Dimensions)}], expected [{columns}, {rows}]");
        return new WeightMatrix(name, info.Type, File.TensorPointer(info), rows, columns);
    }

    /// <summary>A 1-D tensor of <paramref name="length"/> elements as floats.</summary>
    public float[] Vector(string name, int length) => OptionalVector(name, length) ?? throw Missing(name);

    public float[]? OptionalVector(string name, int length)
    {
        var info = File.FindTensor(name);
        if (info is null) return null;
        if (info.Dimensions.Length != 1 || info.Dimensions[0] != length)
            throw new InvalidDataException($"'{File.Path}': tensor '{name}' has shape [{string.Join(", ", info.Dimensions)}], expected [{length}]");
        var values = GC.AllocateUninitializedArray<float>(length, pinned: true);
        new WeightMatrix(name, info.Type, File.TensorPointer(info), 1, length).DequantizeRow(0, values);
        return values;
    }

    /// <summary>The first element of a pinned array from <see cref="Vector"/>, or null.</summary>
    public static float* Pointer(float[]? pinned) =>
        pinned is null ? null : (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    private InvalidDataException Missing(string name) => new($"'{File.Path}': tensor '{name}' is missing");
}
