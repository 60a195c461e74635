using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
    /// <summary>The same values in another shape (one dimension may be −1); a view sharing the buffer.</summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        var resolved = ShapeOps.Resolve(shape, x.Length);
        var y = x.ViewOf(resolved, x.Offset);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var gx = x.AcquireGrad(out var beta);
                Accumulate.Into(gx.Span, y.Grad!.Span, beta);
            });
        return y;
    }

    /// <summary>Swaps two dimensions (a copy).</summary>
    public static Tensor Transpose(Tensor x, int axis0 = -2, int axis1 = -1)
    {
        var a0 = ShapeOps.Axis(axis0, x.Rank);
        var a1 = ShapeOps.Axis(axis1, x.Rank);
        if (a0 > a1) (a0, a1) = (a1, a0);
        var shape = x.ShapeArray.ToArray();
        (shape[a0], shape[a1]) = (shape[a1], shape[a0]);
        var y = Tensor.Create(shape);
        SwapAxes(x.Span, x.ShapeArray, a0, a1, y.Span, beta: 0f);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var gx = x.AcquireGrad(out var beta);
                SwapAxes(y.Grad!.Span, shape, a0, a1, gx.Span, beta);
            });
        return y;
    }

    /// <summary>dst (+)= src with axes a0 &lt; a1 swapped; src has the given shape.</summary>
    private static void SwapAxes(ReadOnlySpan<float> src, int[] shape, int a0, int a1, Span<float> dst, float beta)
    {
        // View the tensor as [outer, n0, mid, n1, inner]; the result is [outer, n1, mid, n0, inner].
        var outer = ShapeOps.Product(shape, 0, a0);
        var n0 = shape[a0];
        var mid = ShapeOps.Product(shape, a0 + 1, a1);
        var n1 = shape[a1];
        var inner = ShapeOps.Product(shape, a1 + 1, shape.Length);
        for (var o = 0; o < outer; o++)
        for (var i = 0; i < n0; i++)
        for (var m = 0; m < mid; m++)
        for (var j = 0; j < n1; j++)
        {
            var s = src.Slice((((o * n0 + i) * mid + m) * n1 + j) * inner, inner);
            var d = dst.Slice((((o * n1 + j) * mid + m) * n0 + i) * inner, inner);
            Accumulate.Into(d, s, beta);
        }
    }

    /// <summary>Joins tensors along an axis; all other dimensions must agree.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> parts, int axis)
    {
        if (parts.Count == 0) throw new ArgumentException("Concat needs at least one tensor");
        var first = parts[0];
        var a = ShapeOps.Axis(axis, first.Rank);
        var shape = first.ShapeArray.ToArray();
        shape[a] = 0;
        foreach (var p in parts)
        {
            if (p.Rank != first.Rank) throw new ArgumentException($"Concat of {first.Describe()} and {p.Describe()}: ranks differ");
            for (var d = 0; d < p.Rank; d++)
                if (d != a && p.Dim(d) != first.Dim(d))
                    throw new ArgumentException($"Concat along axis {axis}: {first.Describe()} and {p.Describe()} differ elsewhere");
            shape[a] += p.Dim(a);
        }
        var outer = ShapeOps.Product(shape, 0, a);
        var inner = ShapeOps.Product(shape, a + 1, shape.Length);
        var y = Tensor.Create(shape);
        var ys = y.Span;
        var rowOut = shape[a] * inner;
        var offset = 0;
        foreach (var p in parts)
        {
            var width = p.Dim(a) * inner;
            var ps = p.Span;
            for (var o = 0; o < outer; o++) ps.Slice(o * width, width).CopyTo(ys.Slice(o * rowOut + offset, width));
            offset += width;
        }
        var record = false;
        foreach (var p in parts) record |= Tape.ShouldRecord(p);
        if (record)
        {
            var inputs = parts.ToArray();
            Tape.Record(y, () =>
            {
                var g = y.Grad!.Span;
                var start = 0;
                foreach (var p in inputs)
                {
                    var width = p.Dim(a) * inner;
                    if (p.RequiresGrad)
                    {
                        var gp = p.AcquireGrad(out var beta).Span;
                        for (var o = 0; o < outer; o++)
                            Accumulate.Into(gp.Slice(o * width, width), g.Slice(o * rowOut + start, width), beta);
                    }
                    start += width;
                }
            });
        }
        return y;
    }

    /// <summary>Elements [start, start + length) along an axis (a copy).</summary>
    public static Tensor Slice(Tensor x, int axis, int start, int length)
    {
        var a = ShapeOps.Axis(axis, x.Rank);
        if (start < 0 || length < 0 || start + length > x.Dim(a))
            throw new ArgumentOutOfRangeException(nameof(start), $"slice {start}..{start + length} outside axis {axis} of {x.Describe()}");
        var shape = x.ShapeArray.ToArray();
        shape[a] = length;
        var outer = ShapeOps.Product(shape, 0, a);
        var inner = ShapeOps.Product(shape, a + 1, shape.Length);
        var rowIn = x.Dim(a) * inner;
        var width = length * inner;
        var y = Tensor.Create(shape);
        var xs = x.Span;
        var ys = y.Span;
        for (var o = 0; o < outer; o++) xs.Slice(o * rowIn + start * inner, width).CopyTo(ys.Slice(o * width, width));
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var gx = x.AcquireGrad(out var beta).Span;
                var g = y.Grad!.Span;
                // Elements outside the slice get no gradient; a fresh buffer must still read as zero there.
                if (beta == 0) gx.Clear();
                for (var o = 0; o < outer; o++)
                {
                    var d = gx.Slice(o * rowIn + start * inner, width);
                    System.Numerics.Tensors.TensorPrimitives.Add(d, g.Slice(o * width, width), d);
                }
            });
        return y;
    }
}
