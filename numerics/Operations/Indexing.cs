using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
    /// <summary>
    /// Embedding lookup: rows of table [V, d] picked by ids, shaped [..shape, d] (shape defaults to [ids.Length]).
    /// Backward scatters into the touched rows only (no one-hot product), so its cost follows the number of ids.
    /// </summary>
    public static Tensor Embedding(Tensor table, ReadOnlySpan<int> ids, params int[] shape)
    {
        if (table.Rank != 2) throw new ArgumentException($"embedding table must be [vocabulary, width], got {table.Describe()}");
        return IndexSelect(table, ids, shape);
    }

    /// <summary>Rows of x (along its first dimension) picked by indices; the result is [..shape, x.Shape[1..]].</summary>
    public static Tensor IndexSelect(Tensor x, ReadOnlySpan<int> indices, params int[] shape)
    {
        if (x.Rank < 1) throw new ArgumentException("IndexSelect needs at least one dimension");
        var leading = shape.Length == 0 ? [indices.Length] : shape;
        if (ShapeOps.Length(leading) != indices.Length)
            throw new ArgumentException($"{indices.Length} indices do not fill shape {ShapeOps.Format(leading)}");
        var rows = x.Dim(0);
        var width = x.Length / Math.Max(1, rows);
        var ids = indices.ToArray();
        for (var i = 0; i < ids.Length; i++)
            if ((uint)ids[i] >= (uint)rows)
                throw new ArgumentOutOfRangeException(nameof(indices), $"index {ids[i]} at position {i} is outside [0, {rows}) of {x.Describe()}");
        var outShape = new int[leading.Length + x.Rank - 1];
        leading.CopyTo(outShape, 0);
        for (var d = 1; d < x.Rank; d++) outShape[leading.Length + d - 1] = x.Dim(d);
        var y = Tensor.Create(outShape);
        var (xData, xOff, yData, yOff) = (x.Data, x.Offset, y.Data, y.Offset);
        ParallelRange.ForRows(ids.Length, width, (i0, i1) =>
        {
            for (var i = i0; i < i1; i++)
                xData.AsSpan(xOff + ids[i] * width, width).CopyTo(yData.AsSpan(yOff + i * width, width));
        });
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var gx = x.AcquireGrad(out var beta);
                var g = y.Grad!;
                var (gData, gOff, gxData, gxOff) = (g.Data, g.Offset, gx.Data, gx.Offset);
                if (beta == 0) gx.Span.Clear();
                // Each chunk owns a range of rows and adds their contributions in id order, so the sums are the
                // same for any number of threads and no two threads write one row.
                const int rowsPerChunk = 64;
                Compute.ForRange(rows, rowsPerChunk, (r0, r1) =>
                {
                    for (var i = 0; i < ids.Length; i++)
                    {
                        var r = ids[i];
                        if (r < r0 || r >= r1) continue;
                        var dst = gxData.AsSpan(gxOff + r * width, width);
                        TensorPrimitives.Add(dst, gData.AsSpan(gOff + i * width, width), dst);
                    }
                });
            });
        return y;
    }

    /// <summary>
    /// Per-row gather along the last dimension: x is [..., C], indices holds K positions per row, the result is
    /// [..., K] with y[r, j] = x[r, indices[r·K + j]].
    /// </summary>
    public static Tensor Gather(Tensor x, ReadOnlySpan<int> indices, int perRow = 1)
    {
        var classes = x.Dim(-1);
        var rows = x.Length / Math.Max(1, classes);
        if (perRow < 1 || indices.Length != rows * perRow)
            throw new ArgumentException($"Gather needs {perRow} indices for each of {rows} rows of {x.Describe()}, got {indices.Length}");
        var ids = indices.ToArray();
        for (var i = 0; i < ids.Length; i++)
            if ((uint)ids[i] >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(indices), $"index {ids[i]} at position {i} is outside [0, {classes})");
        var y = Tensor.Create(ShapeOps.WithLast(x.Shape, perRow));
        var xs = x.Span;
        var ys = y.Span;
        for (var r = 0; r < rows; r++)
            for (var j = 0; j < perRow; j++)
                ys[r * perRow + j] = xs[r * classes + ids[r * perRow + j]];
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var gx = x.AcquireGrad(out var beta).Span;
                var g = y.Grad!.Span;
                if (beta == 0) gx.Clear();
                for (var r = 0; r < rows; r++)
                    for (var j = 0; j < perRow; j++)
                        gx[r * classes + ids[r * perRow + j]] += g[r * perRow + j];
            });
        return y;
    }

    /// <summary>Index of the smallest value in each row of the last dimension (no gradient).</summary>
    public static int[] ArgMin(Tensor x)
    {
        var n = x.Dim(-1);
        var rows = x.Length / Math.Max(1, n);
        var result = new int[rows];
        var xs = x.Span;
        for (var r = 0; r < rows; r++) result[r] = TensorPrimitives.IndexOfMin(xs.Slice(r * n, n));
        return result;
    }

    /// <summary>Index of the largest value in each row of the last dimension (no gradient).</summary>
    public static int[] ArgMax(Tensor x)
    {
        var n = x.Dim(-1);
        var rows = x.Length / Math.Max(1, n);
        var result = new int[rows];
        var xs = x.Span;
        for (var r = 0; r < rows; r++) result[r] = TensorPrimitives.IndexOfMax(xs.Slice(r * n, n));
        return result;
    }
}
