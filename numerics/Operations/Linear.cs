using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
    /// <summary>y = x·wᵀ + b over the last dimension: x [..., in], w [out, in] (PyTorch's layout), b [out] or null.</summary>
    public static Tensor Linear(Tensor x, Tensor w, Tensor? b) => Linear(x, w, b, Activation.None, 0f, null);

    /// <summary>
    /// y = dropout(act(x·wᵀ + b)) in one pass over the output: the bias, the nonlinearity and the dropout mask are
    /// applied while the product is still hot in cache, and for ReLU only the output is kept for backward.
    /// Dropout (probability p, from <paramref name="rng"/>) applies only when p &gt; 0 and a generator is given.
    /// </summary>
    public static unsafe Tensor Linear(Tensor x, Tensor w, Tensor? b, Activation activation, float dropout, Rng? rng)
    {
        if (w.Rank != 2) throw new ArgumentException($"Linear weight must be [out, in], got {w.Describe()}");
        var inFeatures = w.Dim(1);
        var outFeatures = w.Dim(0);
        if (x.Rank < 1 || x.Dim(-1) != inFeatures)
            throw new ArgumentException($"Linear input {x.Describe()} does not end in {inFeatures} features (weight {w.Describe()})");
        if (b is not null && (b.Rank != 1 || b.Length != outFeatures))
            throw new ArgumentException($"Linear bias must be [{outFeatures}], got {b.Describe()}");
        ValidateDropout(dropout);
        var rows = x.Length / Math.Max(1, inFeatures);
        var y = Tensor.Create(ShapeOps.WithLast(x.Shape, outFeatures));
        var record = Tape.ShouldRecord(x, w, b);
        var drop = dropout > 0 && rng is not null;
        var key = drop ? Shard.DropoutKey(rng!) : 0UL;
        // GELU and SiLU derivatives need the pre-activation; ReLU's can be read off the output.
        var preActivation = record && activation is Activation.Gelu or Activation.Silu ? Tensor.Create(y.ShapeArray) : null;
        fixed (float* px = x.Values, pw = w.Values, py = y.Span)
        {
            // Without a tape the weight is not about to change (inference): its packed copy is kept between calls.
            if (!record && !w.Buffer.Pooled && PackedWeight.Applies(outFeatures, inFeatures))
                PackedWeight.For(w.Buffer, w.Version, w.Offset, pw, outFeatures, inFeatures).Multiply(rows, px, inFeatures, py, outFeatures);
            else
                Gemm.Run(false, true, rows, outFeatures, inFeatures, 1f, px, inFeatures, pw, inFeatures, 0f, py, outFeatures);
            if (b is not null || activation != Activation.None || drop)
                LinearEpilogue(y, b, preActivation, activation, drop, key, dropout, rows, outFeatures);
        }
        if (record)
            Tape.Record(y, () => LinearBackward(x, w, b, y, preActivation, activation, drop, key, dropout, rows, inFeatures, outFeatures),
                preActivation);
        return y;
    }

    private static unsafe void LinearEpilogue(Tensor y, Tensor? b, Tensor? preActivation, Activation activation,
        bool drop, ulong key, float p, int rows, int cols)
    {
        var bias = b?.Data;
        var biasOffset = b?.Offset ?? 0;
        var (yData, yOff) = (y.Data, y.Offset);
        var zData = preActivation?.Data;
        var threshold = DropoutKernel.Threshold(p);
        var scale = DropoutKernel.Scale(p);
        ParallelRange.ForRows(rows, cols, (r0, r1) =>
        {
            for (var r = r0; r < r1; r++)
            {
                var row = yData.AsSpan(yOff + r * cols, cols);
                if (bias is not null) System.Numerics.Tensors.TensorPrimitives.Add(row, bias.AsSpan(biasOffset, cols), row);
                if (zData is not null) row.CopyTo(zData.AsSpan(r * cols, cols));
                switch (activation)
                {
                    case Activation.Relu: ActivationKernels.Relu(row, row); break;
                    case Activation.Gelu: ActivationKernels.Gelu(row, row); break;
                    case Activation.Silu: ActivationKernels.Silu(row, row); break;
                }
                if (drop)
                    fixed (float* pr = row)
                        DropoutKernel.Apply(pr, pr, cols, key, (uint)(r * cols), threshold, scale, accumulate: false);
            }
        });
    }

    private static unsafe void LinearBackward(Tensor x, Tensor w, Tensor? b, Tensor y, Tensor? preActivation,
        Activation activation, bool drop, ulong key, float p, int rows, int inFeatures, int outFeatures)
    {
        // gz: the gradient at the pre-activation, computed in place over the output gradient, which nothing else
        // reads once this step runs (every consumer of y has already added into it).
        var gz = y.Grad!;
        if (activation != Activation.None || drop)
            PreActivationGrad(gz, y, preActivation, gz, activation, drop, key, p, rows, outFeatures);
        {
            fixed (float* px = x.Values, pw = w.Values, pgz = gz.Span)
            {
                if (b is not null && b.RequiresGrad)
                {
                    var gb = b.AcquireGrad(out var beta);
                    fixed (float* pgb = gb.Span) ColumnSums.Run(pgz, rows, outFeatures, pgb, beta);
                }
                if (w.RequiresGrad)
                {
                    var gw = w.AcquireGrad(out var beta);
                    fixed (float* pgw = gw.Span)
                        Gemm.Run(true, false, outFeatures, inFeatures, rows, 1f, pgz, outFeatures, px, inFeatures, beta, pgw, inFeatures);
                }
                if (x.RequiresGrad)
                {
                    var gx = x.AcquireGrad(out var beta);
                    fixed (float* pgx = gx.Span)
                        Gemm.Run(false, false, rows, inFeatures, outFeatures, 1f, pgz, outFeatures, pw, inFeatures, beta, pgx, inFeatures);
                }
            }
        }
    }

    private static unsafe void PreActivationGrad(Tensor g, Tensor y, Tensor? preActivation, Tensor gz, Activation activation,
        bool drop, ulong key, float p, int rows, int cols)
    {
        var threshold = DropoutKernel.Threshold(p);
        var scale = drop ? DropoutKernel.Scale(p) : 1f;
        var (gData, gOff, yData, yOff, zgData, zgOff) = (g.Data, g.Offset, y.Data, y.Offset, gz.Data, gz.Offset);
        var zData = preActivation?.Data;
        ParallelRange.ForRows(rows, cols, (r0, r1) =>
        {
            var derivative = zData is null ? null : BufferPool.Rent(cols);
            for (var r = r0; r < r1; r++)
            {
                var o = r * cols;
                var gRow = gData.AsSpan(gOff + o, cols);
                var dst = zgData.AsSpan(zgOff + o, cols);
                fixed (float* pg = gRow, pd = dst, py = yData.AsSpan(yOff + o, cols))
                {
                    switch (activation)
                    {
                        case Activation.Relu:
                            // A kept, positive output is the only way to a nonzero derivative.
                            ActivationKernels.ReluBackwardFromOutput(py, pg, pd, cols, scale, accumulate: false);
                            continue;
                        case Activation.None:
                            DropoutKernel.Apply(pg, pd, cols, key, (uint)o, threshold, scale, accumulate: false);
                            continue;
                        case Activation.Gelu:
                            ActivationKernels.GeluDerivative(zData.AsSpan(o, cols), derivative);
                            break;
                        default:
                            ActivationKernels.SiluDerivative(zData.AsSpan(o, cols), derivative);
                            break;
                    }
                    // dst may be the same memory as gRow (in-place backward), so the derivative lives apart.
                    System.Numerics.Tensors.TensorPrimitives.Multiply(derivative.AsSpan(0, cols), gRow, dst);
                    if (drop) DropoutKernel.Apply(pd, pd, cols, key, (uint)o, threshold, scale, accumulate: false);
                }
            }
            if (derivative is not null) BufferPool.Return(derivative);
        });
    }

    private static void ValidateDropout(float p)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), $"dropout probability {p} is not in [0, 1)");
    }
}
