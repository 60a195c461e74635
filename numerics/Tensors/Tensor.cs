using System.Text;
using Mender.Numerics.Autograd;

namespace Mender.Numerics.Tensors;

/// <summary>
/// A dense float32 tensor in row-major order. Tensors made by operations inside a <see cref="Tape"/> use pooled
/// buffers that the tape takes back when it is disposed (or, for intermediates, once Backward no longer needs them);
/// tensors made with the constructors and factories below are ordinary GC-owned values (parameters, inputs, results).
/// Reshape and <see cref="Rows"/> return views that share the buffer; every other operation returns a new tensor.
/// </summary>
public sealed partial class Tensor
{
    private TensorStorage? storage;
    private readonly int offset;
    private readonly int[] shape;
    private Tensor? grad;
    private bool gradValid;

    /// <summary>A zero-filled tensor of the given shape.</summary>
    public Tensor(params int[] shape)
        : this(TensorStorage.Allocate(ShapeOps.Length(shape)), 0, (int[])shape.Clone())
    {
    }

    internal Tensor(TensorStorage storage, int offset, int[] shape)
    {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        Length = ShapeOps.Length(shape);
        if (offset + Length > storage.Data.Length)
            throw new ArgumentException("tensor view lies outside its buffer");
    }

    /// <summary>A tensor of the shape filled with zeros.</summary>
    public static Tensor Zeros(params int[] shape) => new(shape);

    /// <summary>A tensor of the shape filled with one value.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = new Tensor(shape);
        t.Span.Fill(value);
        return t;
    }

    /// <summary>A tensor holding a copy of the values (row-major).</summary>
    public static Tensor FromArray(ReadOnlySpan<float> values, params int[] shape)
    {
        var t = new Tensor(shape);
        if (values.Length != t.Length)
            throw new ArgumentException($"{values.Length} values cannot fill shape {ShapeOps.Format(shape)} ({t.Length} elements)");
        values.CopyTo(t.Span);
        return t;
    }

    /// <summary>A one-element tensor of rank 1.</summary>
    public static Tensor Scalar(float value) => FromArray([value]);

    /// <summary>Uniform in [low, high) from the generator.</summary>
    public static Tensor Uniform(Rng rng, float low, float high, params int[] shape)
    {
        var t = new Tensor(shape);
        rng.FillUniform(t.Span, low, high);
        return t;
    }

    /// <summary>Normal(mean, std) from the generator.</summary>
    public static Tensor Normal(Rng rng, float mean, float std, params int[] shape)
    {
        var t = new Tensor(shape);
        rng.FillNormal(t.Span, mean, std);
        return t;
    }

    /// <summary>A fresh result tensor: pooled and owned by the current tape when there is one, GC-owned otherwise.</summary>
    internal static Tensor Create(int[] shape)
    {
        var tape = Tape.Current;
        if (tape is null) return new Tensor(TensorStorage.Allocate(ShapeOps.Length(shape)), 0, shape);
        var t = new Tensor(TensorStorage.Rent(ShapeOps.Length(shape)), 0, shape);
        tape.Own(t);
        return t;
    }

    /// <summary>Dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => shape;

    internal int[] ShapeArray => shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => shape.Length;

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>Size of one dimension; negative axes count from the end.</summary>
    public int Dim(int axis) => shape[ShapeOps.Axis(axis, shape.Length)];

    /// <summary>A name for messages and checkpoints (parameters get theirs from their module).</summary>
    public string? Name { get; set; }

    /// <summary>Whether gradients flow into this tensor. Set it on leaves (parameters, inputs); results inherit it.</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>Made by an operation on a tape: its buffers are pooled and its gradient is transient.</summary>
    internal bool IsIntermediate { get; private set; }

    /// <summary>Backward keeps this intermediate's values (it would otherwise free them once it no longer needs them).</summary>
    internal bool Retained { get; private set; }

    /// <summary>True once the tensor's buffer has been released; its values can no longer be read.</summary>
    public bool IsReleased => storage is null;

    /// <summary>
    /// The values, writable. Throws once the tensor's buffer went back to the pool. Taking this span counts as a write
    /// (it invalidates caches derived from the values, such as a packed weight), so write through it right away rather
    /// than holding it across operations that read the tensor.
    /// </summary>
    public Span<float> Span
    {
        get
        {
            var s = Storage;
            s.MarkWritten();
            return new(s.Data, offset, Length);
        }
    }

    /// <summary>The values for reading, without counting as a write (engine code that only reads a tensor).</summary>
    internal ReadOnlySpan<float> Values => new(Storage.Data, offset, Length);

    /// <summary>The buffer's write counter (see <see cref="TensorStorage.Version"/>).</summary>
    internal int Version => Storage.Version;

    internal TensorStorage Buffer => Storage;

    internal float[] Data => Storage.Data;

    /// <summary>
    /// Address of element <paramref name="index"/>. Tensor buffers are pinned, so the pointer stays valid while the
    /// caller keeps the tensor alive (GC.KeepAlive after the last use).
    /// </summary>
    internal unsafe float* Ptr(int index) =>
        (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref Storage.Data[offset + index]);
    internal int Offset => offset;

    private TensorStorage Storage => storage ?? throw new ObjectDisposedException(
        $"tensor {Describe()} was released: its tape was disposed, or Backward freed it as an intermediate " +
        "(call Retain() before Backward to keep reading it)");

    /// <summary>The gradient accumulated by Backward, or null when none reached this tensor since the last reset.</summary>
    public Tensor? Grad => gradValid ? grad : null;

    /// <summary>Keeps this intermediate's values readable after Backward (until its tape is disposed).</summary>
    public Tensor Retain()
    {
        Retained = true;
        return this;
    }

    /// <summary>The element at a full index, one coordinate per dimension; slow, for tests and small reads.</summary>
    [System.Runtime.CompilerServices.IndexerName("At")]
    public float this[params int[] index]
    {
        get => Span[ShapeOps.FlatIndex(shape, index)];
        set => Span[ShapeOps.FlatIndex(shape, index)] = value;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public float Item()
    {
        if (Length != 1) throw new InvalidOperationException($"Item() needs a one-element tensor, not {ShapeOps.Format(shape)}");
        return Span[0];
    }

    /// <summary>A copy of the values, row-major.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>A GC-owned copy, detached from any tape and gradient.</summary>
    public Tensor Clone()
    {
        var copy = new Tensor(shape);
        Span.CopyTo(copy.Span);
        return copy;
    }

    /// <summary>Copies values from a tensor of the same number of elements.</summary>
    public void CopyFrom(Tensor source)
    {
        if (source.Length != Length)
            throw new ArgumentException($"cannot copy {ShapeOps.Format(source.shape)} into {ShapeOps.Format(shape)}");
        source.Span.CopyTo(Span);
    }

    /// <summary>A view of rows [start, start + count) along the first dimension, sharing this buffer (no gradient).</summary>
    public Tensor Rows(int start, int count)
    {
        if (Rank == 0 || start < 0 || count < 0 || start + count > shape[0])
            throw new ArgumentOutOfRangeException(nameof(start), $"rows {start}..{start + count} outside {ShapeOps.Format(shape)}");
        var rowShape = (int[])shape.Clone();
        rowShape[0] = count;
        return ViewOf(rowShape, offset + start * (Length / Math.Max(1, shape[0])));
    }

    /// <summary>A view with another shape over the same buffer.</summary>
    internal Tensor ViewOf(int[] newShape, int newOffset)
    {
        var s = Storage;
        s.AddReference();
        var view = new Tensor(s, newOffset, newShape);
        Tape.Current?.Own(view);
        return view;
    }

    internal void MarkIntermediate() => IsIntermediate = true;

    /// <summary>
    /// The gradient buffer for an operation's backward pass to write, and the beta it must use: 0 when the buffer is
    /// fresh (overwrite every element, contents undefined), 1 when a gradient already accumulated there (add to it).
    /// </summary>
    internal Tensor AcquireGrad(out float beta)
    {
        // A parameter shared by shards that run at once gets each shard's gradient apart, summed after all finish.
        if (!IsIntermediate && Autograd.Shard.Current is { } shard) return shard.Acquire(this, out beta);
        if (gradValid)
        {
            beta = 1f;
            return grad!;
        }
        if (grad is null || grad.IsReleased)
        {
            grad = IsIntermediate ? new Tensor(TensorStorage.Rent(Length), 0, shape) : new Tensor(shape);
        }
        gradValid = true;
        beta = 0f;
        return grad;
    }

    /// <summary>Forgets the gradient without touching memory: the next backward overwrites instead of adding.</summary>
    public void ZeroGrad() => gradValid = false;

    /// <summary>Returns an intermediate's gradient buffer to the pool.</summary>
    internal void ReleaseGrad()
    {
        gradValid = false;
        if (grad is not null && IsIntermediate)
        {
            grad.Release();
            grad = null;
        }
    }

    /// <summary>Gives the buffer back (pooled storage returns to the pool once no view uses it).</summary>
    internal void Release()
    {
        ReleaseGrad();
        var s = storage;
        storage = null;
        s?.Release();
    }

    internal string Describe() => (Name is null ? "" : $"'{Name}' ") + ShapeOps.Format(shape);

    /// <summary>The name, shape and first values, for debugging.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("Tensor").Append(ShapeOps.Format(shape));
        if (Name is not null) text.Append(' ').Append(Name);
        if (IsReleased) return text.Append(" (released)").ToString();
        text.Append(" [");
        var span = Span;
        for (var i = 0; i < Math.Min(8, span.Length); i++)
            text.Append(i == 0 ? "" : ", ").Append(span[i].ToString("G5", System.Globalization.CultureInfo.InvariantCulture));
        if (span.Length > 8) text.Append(", …");
        return text.Append(']').ToString();
    }
}
