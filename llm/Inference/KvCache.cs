using System.Runtime.InteropServices;

namespace Mender.Llm.Inference;

/// <summary>
/// Keys and values of every layer for several independent sequences, in float32: per layer and sequence a block of
/// <see cref="Capacity"/> rows of <see cref="RowLength"/> floats (all KV heads of one position). Memory is reserved
/// but not touched up front, so only the positions actually used become resident.
/// </summary>
internal sealed unsafe class KvCache : IDisposable
{
    private readonly int _sequences;
    private float* _keys;
    private float* _values;

    public KvCache(int layers, int sequences, int capacity, int rowLength)
    {
        _sequences = sequences;
        Capacity = capacity;
        RowLength = rowLength;
        var floats = (long)layers * sequences * capacity * rowLength;
        _keys = (float*)NativeMemory.Alloc((nuint)(floats * sizeof(float)));
        _values = (float*)NativeMemory.Alloc((nuint)(floats * sizeof(float)));
        Bytes = 2 * floats * sizeof(float);
    }

    /// <summary>Positions per sequence.</summary>
    public int Capacity { get; }

    public int RowLength { get; }
    public long Bytes { get; }

    public float* Keys(int layer, int sequence) => _keys + Offset(layer, sequence);
    public float* Values(int layer, int sequence) => _values + Offset(layer, sequence);

    private long Offset(int layer, int sequence) => ((long)layer * _sequences + sequence) * Capacity * RowLength;

    public void Dispose()
    {
        NativeMemory.Free(_keys);
        NativeMemory.Free(_values);
        _keys = _values = null;
    }
}
