using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

using Mender.Numerics.Tensors;

namespace Mender.Numerics.Kernels;

/// <summary>Sums the rows of a matrix (a bias gradient), in fixed row blocks so the result ignores the thread count.</summary>
internal static unsafe class ColumnSums
{
    private const int RowsPerBlock = 256;

    /// <summary>dst (+)= Σ_r src[r, :] over rows×cols; beta 0 overwrites.</summary>
    public static void Run(float* src, int rows, int cols, float* dst, float beta)
    {
        var blocks = (rows + RowsPerBlock - 1) / RowsPerBlock;
        var partial = BufferPool.Rent(blocks * cols);
        try
        {
            var ps = (nint)src;
            Compute.For(blocks, blk =>
            {
                var acc = partial.AsSpan(blk * cols, cols);
                acc.Clear();
                var end = Math.Min(rows, (blk + 1) * RowsPerBlock);
                for (var r = blk * RowsPerBlock; r < end; r++)
                    TensorPrimitives.Add(acc, new ReadOnlySpan<float>((float*)ps + (long)r * cols, cols), acc);
            });
            var d = new Span<float>(dst, cols);
            if (beta == 0) d.Clear();
            for (var blk = 0; blk < blocks; blk++) TensorPrimitives.Add(d, partial.AsSpan(blk * cols, cols), d);
        }
        finally
        {
            BufferPool.Return(partial);
        }
    }
}
