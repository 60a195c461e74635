namespace Mender.Numerics.Tensors;

/// <summary>Shape arithmetic shared by tensors and operations.</summary>
internal static class ShapeOps
{
    public static int Length(ReadOnlySpan<int> shape)
    {
        long length = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension in shape {Format(shape)}");
            length *= d;
        }
        if (length > Array.MaxLength) throw new ArgumentException($"shape {Format(shape)} is too large");
        return (int)length;
    }

    public static int Axis(int axis, int rank)
    {
        var a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ArgumentOutOfRangeException(nameof(axis), $"axis {axis} out of range for rank {rank}");
        return a;
    }

    public static int FlatIndex(ReadOnlySpan<int> shape, ReadOnlySpan<int> index)
    {
        if (index.Length != shape.Length)
            throw new ArgumentException($"index of rank {index.Length} for a tensor of rank {shape.Length}");
        var flat = 0;
        for (var i = 0; i < shape.Length; i++)
        {
            if ((uint)index[i] >= (uint)shape[i])
                throw new IndexOutOfRangeException($"index {index[i]} out of range for dimension {i} of {Format(shape)}");
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    /// <summary>Product of dimensions in [from, to).</summary>
    public static int Product(ReadOnlySpan<int> shape, int from, int to)
    {
        var p = 1;
        for (var i = from; i < to; i++) p *= shape[i];
        return p;
    }

    public static bool Same(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>The shape with the last dimension replaced.</summary>
    public static int[] WithLast(ReadOnlySpan<int> shape, int last)
    {
        var s = shape.ToArray();
        s[^1] = last;
        return s;
    }

    /// <summary>Resolves one -1 in a requested shape against a number of elements.</summary>
    public static int[] Resolve(int[] requested, int length)
    {
        var s = (int[])requested.Clone();
        var unknown = -1;
        var known = 1;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == -1)
            {
                if (unknown >= 0) throw new ArgumentException($"only one -1 allowed in shape {Format(requested)}");
                unknown = i;
            }
            else known *= s[i];
        }
        if (unknown >= 0)
        {
            if (known == 0 || length % known != 0)
                throw new ArgumentException($"cannot reshape {length} elements to {Format(requested)}");
            s[unknown] = length / known;
        }
        if (Length(s) != length) throw new ArgumentException($"cannot reshape {length} elements to {Format(requested)}");
        return s;
    }
}
