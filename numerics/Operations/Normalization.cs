using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
    /// <summary>Rows per block when per-feature gradients (γ, β) are summed; fixed so results ignore the thread count.</summary>
    private const int NormRowsPerBlock = 128;

    /// <summary>Layer normalization over the last dimension: (x − mean)/√(var + eps)·γ + β; γ and β may be null.</summary>
    public static Tensor LayerNorm(Tensor x, Tensor? gamma, Tensor? beta, float eps = 1e-5f) =>
        Normalize(x, gamma, beta, eps, rms: false);

    /// <summary>RMS normalization over the last dimension: x/√(mean(x²) + eps)·γ; γ may be null.</summary>
    public static Tensor RmsNorm(Tensor x, Tensor? gamma, float eps = 1e-6f) => Normalize(x, gamma, null, eps, rms: true);

    private static unsafe Tensor Normalize(Tensor x, Tensor? gamma, Tensor? shift, float eps, bool rms)
    {
        var n = x.Dim(-1);
        if (gamma is not null && gamma.Length != n) throw new ArgumentException($"norm weight {gamma.Describe()} does not match {x.Describe()}");
        if (shift is not null && shift.Length != n) throw new ArgumentException($"norm bias {shift.Describe()} does not match {x.Describe()}");
        var rows = x.Length / Math.Max(1, n);
        var y = Tensor.Create(x.ShapeArray);
        // Per row: mean (0 for RMS) and reciprocal standard deviation.
        var stats = Tensor.Create([rows, 2]);
        var (xData, xOff, yData, yOff, sData, sOff) = (x.Data, x.Offset, y.Data, y.Offset, stats.Data, stats.Offset);
        var g = gamma?.Data;
        var gOff = gamma?.Offset ?? 0;
        var bData = shift?.Data;
        var bOff = shift?.Offset ?? 0;
        var fast = NormKernel.Applies(n);
        ParallelRange.ForRows(rows, n, (r0, r1) =>
        {
            if (fast)
            {
                fixed (float* px = xData, py = yData, pg = g, pb = bData)
                    for (var r = r0; r < r1; r++)
                    {
                        var (mean, rstd) = NormKernel.Forward(px + xOff + r * n, py + yOff + r * n, n,
                            pg == null ? null : pg + gOff, pb == null ? null : pb + bOff, eps, rms);
                        sData[sOff + 2 * r] = mean;
                        sData[sOff + 2 * r + 1] = rstd;
                    }
                return;
            }
            for (var r = r0; r < r1; r++)
            {
                var row = xData.AsSpan(xOff + r * n, n);
                var dst = yData.AsSpan(yOff + r * n, n);
                float mean = 0, rstd;
                if (rms)
                {
                    rstd = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(row) / n + eps);
                    TensorPrimitives.Multiply(row, rstd, dst);
                }
                else
                {
                    mean = TensorPrimitives.Sum(row) / n;
                    TensorPrimitives.Subtract(row, mean, dst);
                    rstd = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(dst) / n + eps);
                    TensorPrimitives.Multiply(dst, rstd, dst);
                }
                sData[sOff + 2 * r] = mean;
                sData[sOff + 2 * r + 1] = rstd;
                if (g is not null) TensorPrimitives.Multiply(dst, g.AsSpan(gOff, n), dst);
                if (bData is not null) TensorPrimitives.Add(dst, bData.AsSpan(bOff, n), dst);
            }
        });
        if (Tape.ShouldRecord(x, gamma, shift))
            Tape.Record(y, () => NormalizeBackward(x, gamma, shift, y, stats, rows, n, rms), saved: stats);
        else
            stats.Release();
        return y;
    }

    private static unsafe void NormalizeBackward(Tensor x, Tensor? gamma, Tensor? shift, Tensor y, Tensor stats, int rows, int n, bool rms)
    {
        var grad = y.Grad!;
        var wantParams = gamma?.RequiresGrad == true || shift?.RequiresGrad == true;
        var blocks = (rows + NormRowsPerBlock - 1) / NormRowsPerBlock;
        // Per block: Σ g·x̂ (for γ) then Σ g (for β).
        var partial = wantParams ? BufferPool.Rent(blocks * 2 * n) : null;
        Tensor? gx = null;
        var betaX = 0f;
        if (x.RequiresGrad) gx = x.AcquireGrad(out betaX);
        var (xData, xOff, gData, gOff, sData, sOff) = (x.Data, x.Offset, grad.Data, grad.Offset, stats.Data, stats.Offset);
        var gxData = gx?.Data;
        var gxOff = gx?.Offset ?? 0;
        var gammaData = gamma?.Data;
        var gammaOff = gamma?.Offset ?? 0;
        var fast = NormKernel.Applies(n);
        try
        {
            Compute.For(blocks, blk =>
            {
                var end = Math.Min(rows, (blk + 1) * NormRowsPerBlock);
                if (fast)
                {
                    fixed (float* px = xData, pgr = gData, pgamma = gammaData, ppart = partial, pgx = gxData)
                    {
                        var gp = ppart == null ? null : ppart + blk * 2 * n;
                        if (gp != null) new Span<float>(gp, 2 * n).Clear();
                        for (var r = blk * NormRowsPerBlock; r < end; r++)
                            NormKernel.Backward(px + xOff + r * n, pgr + gOff + r * n, pgamma == null ? null : pgamma + gammaOff,
                                sData[sOff + 2 * r], sData[sOff + 2 * r + 1], n, rms, gp, gp == null ? null : gp + n,
                                pgx == null ? null : pgx + gxOff + r * n, betaX != 0);
                    }
                    return;
                }
                var xhat = BufferPool.Rent(n);
                var gh = BufferPool.Rent(n);
                try
                {
                    var pg = partial is null ? default : partial.AsSpan(blk * 2 * n, n);
                    var pb = partial is null ? default : partial.AsSpan(blk * 2 * n + n, n);
                    pg.Clear();
                    pb.Clear();
                    for (var r = blk * NormRowsPerBlock; r < end; r++)
                    {
                        var row = xData.AsSpan(xOff + r * n, n);
                        var gRow = gData.AsSpan(gOff + r * n, n);
                        var mean = sData[sOff + 2 * r];
                        var rstd = sData[sOff + 2 * r + 1];
                        var xh = xhat.AsSpan(0, n);
                        TensorPrimitives.Subtract(row, mean, xh);
                        TensorPrimitives.Multiply(xh, rstd, xh);
                        if (partial is not null)
                        {
                            TensorPrimitives.MultiplyAdd(gRow, xh, pg, pg);
                            TensorPrimitives.Add(pb, gRow, pb);
                        }
                        if (gxData is null) continue;
                        var gxh = gh.AsSpan(0, n);
                        if (gammaData is not null) TensorPrimitives.Multiply(gRow, gammaData.AsSpan(gammaOff, n), gxh);
                        else gRow.CopyTo(gxh);
                        var dotXh = TensorPrimitives.Dot(gxh, xh) / n;
                        var meanG = rms ? 0f : TensorPrimitives.Sum(gxh) / n;
                        // gx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))
                        TensorPrimitives.MultiplyAdd(xh, -dotXh, gxh, gxh);
                        if (!rms) TensorPrimitives.Subtract(gxh, meanG, gxh);
                        var dst = gxData.AsSpan(gxOff + r * n, n);
                        Accumulate.Scaled(dst, gxh, rstd, betaX);
                    }
                }
                finally
                {
                    BufferPool.Return(xhat);
                    BufferPool.Return(gh);
                }
            });
            if (partial is null) return;
            if (gamma?.RequiresGrad == true)
            {
                var gg = gamma.AcquireGrad(out var b).Span;
                if (b == 0) gg.Clear();
                for (var blk = 0; blk < blocks; blk++) TensorPrimitives.Add(gg, partial.AsSpan(blk * 2 * n, n), gg);
            }
            if (shift?.RequiresGrad == true)
            {
                var gb = shift.AcquireGrad(out var b).Span;
                if (b == 0) gb.Clear();
                for (var blk = 0; blk < blocks; blk++) TensorPrimitives.Add(gb, partial.AsSpan(blk * 2 * n + n, n), gb);
            }
        }
        finally
        {
            if (partial is not null) BufferPool.Return(partial);
        }
    }

    /// <summary>x / max(‖x‖₂, eps) over the last dimension.</summary>
    public static Tensor L2Normalize(Tensor x, float eps = 1e-12f)
    {
        var n = x.Dim(-1);
        var rows = x.Length / Math.Max(1, n);
        var y = Tensor.Create(x.ShapeArray);
        var norms = new float[rows];
        var xs = x.Span;
        var ys = y.Span;
        for (var r = 0; r < rows; r++)
        {
            var norm = MathF.Max(TensorPrimitives.Norm(xs.Slice(r * n, n)), eps);
            norms[r] = norm;
            TensorPrimitives.Divide(xs.Slice(r * n, n), norm, ys.Slice(r * n, n));
        }
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var g = y.Grad!.Span;
                var gx = x.AcquireGrad(out var beta).Span;
                var yv = y.Span;
                var xv = x.Span;
                var tmp = new float[n];
                for (var r = 0; r < rows; r++)
                {
                    var gRow = g.Slice(r * n, n);
                    var yRow = yv.Slice(r * n, n);
                    // Below eps the norm is a constant, so only the plain division remains.
                    var along = TensorPrimitives.Norm(xv.Slice(r * n, n)) >= eps ? TensorPrimitives.Dot(gRow, yRow) : 0f;
                    TensorPrimitives.MultiplyAdd(yRow, -along, gRow, tmp);
                    Accumulate.Scaled(gx.Slice(r * n, n), tmp, 1f / norms[r], beta);
                }
            });
        return y;
    }
}
