using Mender.Numerics.Tensors;

namespace Mender.Numerics.Operations;

/// <summary>
/// NumPy broadcasting: shapes align at the right, and a dimension of 1 (or a missing one) repeats to match.
/// Strides are expressed in the output's rank, with 0 where an input repeats.
/// </summary>
internal static class Broadcasting
{
    public static int[] Shape(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var rank = Math.Max(a.Length, b.Length);
        var shape = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            var db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"shapes {ShapeOps.Format(a)} and {ShapeOps.Format(b)} do not broadcast");
            shape[i] = da == 1 ? db : da;
        }
        return shape;
    }

    /// <summary>Element strides of an input inside the output shape (0 on repeated dimensions).</summary>
    public static int[] Strides(ReadOnlySpan<int> input, ReadOnlySpan<int> output)
    {
        var strides = new int[output.Length];
        var stride = 1;
        for (var i = output.Length - 1; i >= 0; i--)
        {
            var j = i - (output.Length - input.Length);
            var d = j >= 0 ? input[j] : 1;
            strides[i] = d == 1 ? 0 : stride;
            stride *= d;
        }
        return strides;
    }

    /// <summary>
    /// Whether <paramref name="input"/> repeats whole over the leading dimensions of <paramref name="output"/>
    /// (a bias row over a batch): the output is then rows of input.Length elements.
    /// </summary>
    public static bool IsTrailing(ReadOnlySpan<int> input, ReadOnlySpan<int> output)
    {
        var start = 0;
        while (start < input.Length && input[start] == 1) start++;
        var tail = input[start..];
        return tail.Length <= output.Length && output[(output.Length - tail.Length)..].SequenceEqual(tail);
    }

    /// <summary>
    /// Visits every output element with the matching offsets of two inputs: visit(outIndex, offsetA, offsetB) in
    /// row-major order of the output.
    /// </summary>
    public static void Walk(int[] shape, int[] stridesA, int[] stridesB, Action<int, int, int> visit)
    {
        var length = ShapeOps.Length(shape);
        if (length == 0) return;
        var rank = shape.Length;
        if (rank == 0)
        {
            visit(0, 0, 0);
            return;
        }
        var index = new int[rank];
        int oa = 0, ob = 0;
        for (var i = 0; i < length; i++)
        {
            visit(i, oa, ob);
            for (var d = rank - 1; d >= 0; d--)
            {
                index[d]++;
                oa += stridesA[d];
                ob += stridesB[d];
                if (index[d] < shape[d]) break;
                oa -= stridesA[d] * shape[d];
                ob -= stridesB[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    /// <summary>
    /// Adds an output-shaped contribution into a (possibly broadcast) input's gradient, summing over repeated
    /// dimensions; beta 0 means the gradient buffer is fresh and is overwritten.
    /// </summary>
    public static void ReduceInto(Span<float> grad, ReadOnlySpan<int> gradShape, ReadOnlySpan<float> contribution,
        int[] outShape, float beta)
    {
        if (gradShape.SequenceEqual(outShape))
        {
            Kernels.Accumulate.Into(grad, contribution, beta);
            return;
        }
        if (beta == 0) grad.Clear();
        if (IsTrailing(gradShape, outShape))
        {
            var n = grad.Length;
            for (var r = 0; r < contribution.Length / Math.Max(1, n); r++)
                System.Numerics.Tensors.TensorPrimitives.Add(grad, contribution.Slice(r * n, n), grad);
            return;
        }
        var strides = Strides(gradShape, outShape);
        var g = grad.ToArray();
        var c = contribution.ToArray();
        Walk(outShape, strides, strides, (i, oa, _) => g[oa] += c[i]);
        g.CopyTo(grad);
    }
}
