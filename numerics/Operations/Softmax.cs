using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
    /// <summary>Softmax over the last dimension.</summary>
    public static Tensor Softmax(Tensor x) => SoftmaxCore(x, log: false);

    /// <summary>log(softmax(x)) over the last dimension, computed stably.</summary>
    public static Tensor LogSoftmax(Tensor x) => SoftmaxCore(x, log: true);

    private static unsafe Tensor SoftmaxCore(Tensor x, bool log)
    {
        var n = x.Dim(-1);
        var rows = x.Length / Math.Max(1, n);
        var y = Tensor.Create(x.ShapeArray);
        var (xData, xOff, yData, yOff) = (x.Data, x.Offset, y.Data, y.Offset);
        ParallelRange.ForRows(rows, n, (r0, r1) =>
        {
            for (var r = r0; r < r1; r++)
            {
                var src = xData.AsSpan(xOff + r * n, n);
                var dst = yData.AsSpan(yOff + r * n, n);
                if (log)
                {
                    var max = TensorPrimitives.Max(src);
                    TensorPrimitives.Subtract(src, max, dst);
                    TensorPrimitives.Exp(dst, dst);
                    var lse = max + MathF.Log(TensorPrimitives.Sum(dst));
                    TensorPrimitives.Subtract(src, lse, dst);
                }
                else
                {
                    src.CopyTo(dst);
                    fixed (float* pd = dst) SoftmaxKernel.Row(pd, n);
                }
            }
        });
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var g = y.Grad!;
                var gx = x.AcquireGrad(out var beta);
                var (gData, gOff, gxData, gxOff) = (g.Data, g.Offset, gx.Data, gx.Offset);
                ParallelRange.ForRows(rows, n, (r0, r1) =>
                {
                    var tmp = BufferPool.Rent(n);
                    try
                    {
                        var t = tmp.AsSpan(0, n);
                        for (var r = r0; r < r1; r++)
                        {
                            var gRow = gData.AsSpan(gOff + r * n, n);
                            var yRow = yData.AsSpan(yOff + r * n, n);
                            if (log)
                            {
                                // gx = g − softmax·Σg
                                TensorPrimitives.Exp(yRow, t);
                                TensorPrimitives.MultiplyAdd(t, -TensorPrimitives.Sum(gRow), gRow, t);
                            }
                            else
                            {
                                // gx = y·(g − Σ g·y)
                                TensorPrimitives.Subtract(gRow, TensorPrimitives.Dot(gRow, yRow), t);
                                TensorPrimitives.Multiply(t, yRow, t);
                            }
                            Accumulate.Into(gxData.AsSpan(gxOff + r * n, n), t, beta);
                        }
                    }
                    finally
                    {
                        BufferPool.Return(tmp);
                    }
                });
            });
        return y;
    }
}
