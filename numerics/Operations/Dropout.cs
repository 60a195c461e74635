using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
    /// <summary>
    /// Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1−p). Returns x itself
    /// when p is 0 or <paramref name="training"/> is false. The mask comes from one key drawn from rng.
    /// </summary>
    public static unsafe Tensor Dropout(Tensor x, float p, Rng rng, bool training = true)
    {
        ValidateDropout(p);
        if (!training || p == 0) return x;
        var key = Shard.DropoutKey(rng);
        var threshold = DropoutKernel.Threshold(p);
        var scale = DropoutKernel.Scale(p);
        var y = Tensor.Create(x.ShapeArray);
        var (xData, xOff, yData, yOff) = (x.Data, x.Offset, y.Data, y.Offset);
        ParallelRange.For(x.Length, (s, e) =>
        {
            fixed (float* px = xData.AsSpan(xOff + s, e - s), py = yData.AsSpan(yOff + s, e - s))
                DropoutKernel.Apply(px, py, e - s, key, (uint)s, threshold, scale, accumulate: false);
        });
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var g = y.Grad!;
                var gx = x.AcquireGrad(out var beta);
                var (gData, gOff, gxData, gxOff) = (g.Data, g.Offset, gx.Data, gx.Offset);
                ParallelRange.For(x.Length, (s, e) =>
                {
                    fixed (float* pg = gData.AsSpan(gOff + s, e - s), pgx = gxData.AsSpan(gxOff + s, e - s))
                        DropoutKernel.Apply(pg, pgx, e - s, key, (uint)s, threshold, scale, accumulate: beta != 0);
                });
            });
        return y;
    }

    /// <summary>
    /// Which of <paramref name="count"/> slots survive a dropout of rate <paramref name="p"/>: each is dropped with
    /// probability p, from the same stream as <see cref="Dropout"/>'s masks (the running data-parallel shard's, if any),
    /// for inputs that are replaced rather than scaled, such as ids swapped for an "unknown" one.
    /// </summary>
    public static bool[] DropoutKeep(int count, float p, Rng rng)
    {
        ValidateDropout(p);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var keep = new bool[count];
        if (p == 0)
        {
            Array.Fill(keep, true);
            return keep;
        }
        var key = Shard.DropoutKey(rng);
        var threshold = DropoutKernel.Threshold(p);
        for (var i = 0; i < count; i++) keep[i] = DropoutKernel.Keep(key, (uint)i, threshold);
        return keep;
    }

    /// <summary>
    /// residual + dropout(x) in one pass (the transformer's sublayer exit); equal to Add(residual, Dropout(x, p, rng))
    /// without the intermediate tensor.
    /// </summary>
    public static unsafe Tensor AddDropout(Tensor residual, Tensor x, float p, Rng? rng, bool training = true)
    {
        ValidateDropout(p);
        if (!training || p == 0 || rng is null) return Add(residual, x);
        if (!ShapeOps.Same(residual.Shape, x.Shape))
            throw new ArgumentException($"AddDropout needs equal shapes, got {residual.Describe()} and {x.Describe()}");
        var key = Shard.DropoutKey(rng);
        var threshold = DropoutKernel.Threshold(p);
        var scale = DropoutKernel.Scale(p);
        var y = Tensor.Create(x.ShapeArray);
        var (xData, xOff, rData, rOff, yData, yOff) = (x.Data, x.Offset, residual.Data, residual.Offset, y.Data, y.Offset);
        ParallelRange.For(x.Length, (s, e) =>
        {
            var n = e - s;
            rData.AsSpan(rOff + s, n).CopyTo(yData.AsSpan(yOff + s, n));
            fixed (float* px = xData.AsSpan(xOff + s, n), py = yData.AsSpan(yOff + s, n))
                DropoutKernel.Apply(px, py, n, key, (uint)s, threshold, scale, accumulate: true);
        });
        if (Tape.ShouldRecord(residual, x))
            Tape.Record(y, () =>
            {
                var g = y.Grad!;
                if (residual.RequiresGrad)
                {
                    var gr = residual.AcquireGrad(out var betaR);
                    Accumulate.Into(gr.Span, g.Span, betaR);
                }
                if (x.RequiresGrad)
                {
                    var gx = x.AcquireGrad(out var beta);
                    var (gData, gOff, gxData, gxOff) = (g.Data, g.Offset, gx.Data, gx.Offset);
                    ParallelRange.For(x.Length, (s, e) =>
                    {
                        fixed (float* pg = gData.AsSpan(gOff + s, e - s), pgx = gxData.AsSpan(gxOff + s, e - s))
                            DropoutKernel.Apply(pg, pgx, e - s, key, (uint)s, threshold, scale, accumulate: beta != 0);
                    });
                }
            });
        return y;
    }
}
