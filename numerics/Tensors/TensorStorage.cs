namespace Mender.Numerics.Tensors;

/// <summary>
/// The buffer behind one or more tensors (a tensor and its reshaped views). Pooled storage goes back to
/// <see cref="BufferPool"/> when the last tensor using it is released.
/// </summary>
internal sealed class TensorStorage
{
    private int references = 1;

    private TensorStorage(float[] data, bool pooled)
    {
        Data = data;
        Pooled = pooled;
    }

    public float[] Data { get; }
    public bool Pooled { get; }

    /// <summary>
    /// Changes whenever the values may have changed: every writable span handed out (<see cref="Tensor.Span"/>) counts
    /// as a write. Caches derived from the values (a packed copy of a weight) stay valid while it stays the same. Engine
    /// code that writes into an existing tensor through Data or Ptr instead calls <see cref="MarkWritten"/>.
    /// </summary>
    public int Version { get; private set; }

    public void MarkWritten() => Version++;

    /// <summary>A pinned, GC-owned buffer, zero-filled.</summary>
    public static TensorStorage Allocate(int length) => new(GC.AllocateArray<float>(length, pinned: true), false);

    /// <summary>A pooled buffer with undefined contents.</summary>
    public static TensorStorage Rent(int length) => new(BufferPool.Rent(length), true);

    public void AddReference() => references++;

    public void Release()
    {
        if (--references == 0 && Pooled) BufferPool.Return(Data);
    }
}
