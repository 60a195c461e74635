using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
    /// <summary>
    /// Mean cross-entropy of logits [..., C] against one class index per row, like PyTorch's cross_entropy: rows whose
    /// target is <paramref name="ignoreIndex"/> count neither in the sum nor in the mean; with label smoothing ε the
    /// target distribution is (1 − ε)·one-hot + ε/C. Returns 0 when every row is ignored.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, ReadOnlySpan<int> targets, int ignoreIndex = -100, float labelSmoothing = 0f)
    {
        var classes = logits.Dim(-1);
        var rows = logits.Length / Math.Max(1, classes);
        if (targets.Length != rows)
            throw new ArgumentException($"CrossEntropy has {targets.Length} targets for {rows} rows of {logits.Describe()}");
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"label smoothing {labelSmoothing} is not in [0, 1]");
        var count = 0;
        for (var r = 0; r < rows; r++)
        {
            var t = targets[r];
            if (t == ignoreIndex) continue;
            if ((uint)t >= (uint)classes)
                throw new ArgumentOutOfRangeException(nameof(targets), $"target {t} at row {r} is outside [0, {classes})");
            count++;
        }
        var labels = targets.ToArray();
        var rowLoss = new double[rows];
        var (xData, xOff) = (logits.Data, logits.Offset);
        var eps = labelSmoothing;
        var record = Tape.ShouldRecord(logits);
        // The softmax is kept for backward, which then needs no second pass of exponentials.
        var probs = record ? Tensor.Create([rows, classes]) : null;
        var pData = probs?.Data;
        ParallelRange.ForRows(rows, classes, (r0, r1) =>
        {
            var tmp = pData is null ? BufferPool.Rent(classes) : null;
            try
            {
                for (var r = r0; r < r1; r++)
                {
                    if (labels[r] == ignoreIndex) continue;
                    var row = xData.AsSpan(xOff + r * classes, classes);
                    var max = TensorPrimitives.Max(row);
                    var t = pData is null ? tmp.AsSpan(0, classes) : pData.AsSpan(r * classes, classes);
                    TensorPrimitives.Subtract(row, max, t);
                    TensorPrimitives.Exp(t, t);
                    var sum = TensorPrimitives.Sum(t);
                    var l = max + MathF.Log(sum);
                    if (pData is not null) TensorPrimitives.Multiply(t, 1f / sum, t);
                    var loss = l - (1 - eps) * row[labels[r]];
                    if (eps > 0) loss -= eps / classes * TensorPrimitives.Sum(row);
                    rowLoss[r] = loss;
                }
            }
            finally
            {
                if (tmp is not null) BufferPool.Return(tmp);
            }
        });
        double total = 0;
        foreach (var l in rowLoss) total += l;
        var y = Tensor.Create([]);
        y.Span[0] = count == 0 ? 0f : (float)(total / count);
        if (record)
            Tape.Record(y, () =>
            {
                var gx = logits.AcquireGrad(out var beta);
                var scale = count == 0 ? 0f : y.Grad!.Span[0] / count;
                var (gxData, gxOff) = (gx.Data, gx.Offset);
                ParallelRange.ForRows(rows, classes, (r0, r1) =>
                {
                    for (var r = r0; r < r1; r++)
                    {
                        var dst = gxData.AsSpan(gxOff + r * classes, classes);
                        if (labels[r] == ignoreIndex)
                        {
                            if (beta == 0) dst.Clear();
                            continue;
                        }
                        // (softmax − target distribution) · scale, formed in the saved softmax (read once more, never again).
                        var t = pData!.AsSpan(r * classes, classes);
                        if (eps > 0) TensorPrimitives.Subtract(t, eps / classes, t);
                        t[labels[r]] -= 1 - eps;
                        Accumulate.Scaled(dst, t, scale, beta);
                    }
                });
            }, saved: probs);
        return y;
    }
}
