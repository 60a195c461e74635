using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
    /// <summary>
    /// Squared Euclidean distances between the rows of x [N, d] and of c [K, d] (a codebook): [N, K] with
    /// D[i, j] = ‖xᵢ‖² + ‖cⱼ‖² − 2·xᵢ·cⱼ, the cross term as one GEMM.
    /// </summary>
    public static unsafe Tensor PairwiseSquaredDistance(Tensor x, Tensor c)
    {
        if (x.Rank != 2 || c.Rank != 2 || x.Dim(1) != c.Dim(1))
            throw new ArgumentException($"PairwiseSquaredDistance needs [N, d] and [K, d], got {x.Describe()} and {c.Describe()}");
        var (n, k, d) = (x.Dim(0), c.Dim(0), x.Dim(1));
        var y = Tensor.Create([n, k]);
        var xn = RowSquares(x.Span, n, d);
        var cn = RowSquares(c.Span, k, d);
        fixed (float* px = x.Span, pc = c.Span, py = y.Span)
            Gemm.Run(false, true, n, k, d, -2f, px, d, pc, d, 0f, py, k);
        var ys = y.Span;
        for (var i = 0; i < n; i++)
        {
            var row = ys.Slice(i * k, k);
            TensorPrimitives.Add(row, cn, row);
            TensorPrimitives.Add(row, xn[i], row);
        }
        if (Tape.ShouldRecord(x, c))
            Tape.Record(y, () =>
            {
                var g = y.Grad!;
                fixed (float* px = x.Span, pc = c.Span, pg = g.Span)
                {
                    if (x.RequiresGrad)
                    {
                        // dx = 2·(rowsum(G)·x − G·c)
                        var gx = x.AcquireGrad(out var beta);
                        var gs = g.Span;
                        var gxs = gx.Span;
                        var xs = x.Span;
                        if (beta == 0) gxs.Clear();
                        for (var i = 0; i < n; i++)
                            TensorPrimitives.MultiplyAdd(xs.Slice(i * d, d), 2f * TensorPrimitives.Sum(gs.Slice(i * k, k)), gxs.Slice(i * d, d), gxs.Slice(i * d, d));
                        fixed (float* pgx = gxs) Gemm.Run(false, false, n, d, k, -2f, pg, k, pc, d, 1f, pgx, d);
                    }
                    if (c.RequiresGrad)
                    {
                        // dc = 2·(colsum(G)·c − Gᵀ·x)
                        var gc = c.AcquireGrad(out var beta);
                        var col = new float[k];
                        fixed (float* pcol = col) ColumnSums.Run(pg, n, k, pcol, 0f);
                        var gcs = gc.Span;
                        var cs = c.Span;
                        if (beta == 0) gcs.Clear();
                        for (var j = 0; j < k; j++)
                            TensorPrimitives.MultiplyAdd(cs.Slice(j * d, d), 2f * col[j], gcs.Slice(j * d, d), gcs.Slice(j * d, d));
                        fixed (float* pgc = gcs) Gemm.Run(true, false, k, d, n, -2f, pg, k, px, d, 1f, pgc, d);
                    }
                }
            });
        return y;
    }

    private static float[] RowSquares(ReadOnlySpan<float> m, int rows, int cols)
    {
        var result = new float[rows];
        for (var r = 0; r < rows; r++) result[r] = TensorPrimitives.SumOfSquares(m.Slice(r * cols, cols));
        return result;
    }

    /// <summary>Mean of (a − b)² over all elements (shapes must match).</summary>
    public static Tensor MeanSquaredError(Tensor a, Tensor b)
    {
        if (!ShapeOps.Same(a.Shape, b.Shape))
            throw new ArgumentException($"MeanSquaredError needs equal shapes, got {a.Describe()} and {b.Describe()}");
        var diff = Tensor.Create(a.ShapeArray);
        TensorPrimitives.Subtract(a.Span, b.Span, diff.Span);
        var y = Tensor.Create([]);
        y.Span[0] = a.Length == 0 ? 0f : (float)(SumOfSquaresDouble(diff.Span) / a.Length);
        if (Tape.ShouldRecord(a, b))
            Tape.Record(y, () =>
            {
                var s = a.Length == 0 ? 0f : 2f * y.Grad!.Span[0] / a.Length;
                if (a.RequiresGrad)
                {
                    var ga = a.AcquireGrad(out var beta);
                    Accumulate.Scaled(ga.Span, diff.Span, s, beta);
                }
                if (b.RequiresGrad)
                {
                    var gb = b.AcquireGrad(out var beta);
                    Accumulate.Scaled(gb.Span, diff.Span, -s, beta);
                }
            }, saved: diff);
        else
            diff.Release();
        return y;
    }

    private static double SumOfSquaresDouble(ReadOnlySpan<float> values)
    {
        double total = 0;
        const int block = 1024;
        for (var i = 0; i < values.Length; i += block)
            total += TensorPrimitives.SumOfSquares(values.Slice(i, Math.Min(block, values.Length - i)));
        return total;
    }
}
