using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
    /// <summary>max(0, x), elementwise.</summary>
    public static Tensor Relu(Tensor x) => Activate(x, Activation.Relu);

    /// <summary>Exact (erf) GELU.</summary>
    public static Tensor Gelu(Tensor x) => Activate(x, Activation.Gelu);

    /// <summary>x·sigmoid(x).</summary>
    public static Tensor Silu(Tensor x) => Activate(x, Activation.Silu);

    /// <summary>Applies an activation; None returns the input itself.</summary>
    public static unsafe Tensor Activate(Tensor x, Activation activation)
    {
        if (activation == Activation.None) return x;
        var y = Tensor.Create(x.ShapeArray);
        var (xData, xOff, yData, yOff) = (x.Data, x.Offset, y.Data, y.Offset);
        ParallelRange.For(x.Length, (s, e) =>
        {
            var src = xData.AsSpan(xOff + s, e - s);
            var dst = yData.AsSpan(yOff + s, e - s);
            switch (activation)
            {
                case Activation.Relu: ActivationKernels.Relu(src, dst); break;
                case Activation.Gelu: ActivationKernels.Gelu(src, dst); break;
                default: ActivationKernels.Silu(src, dst); break;
            }
        });
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var g = y.Grad!;
                var gx = x.AcquireGrad(out var beta);
                var (gData, gOff, gxData, gxOff) = (g.Data, g.Offset, gx.Data, gx.Offset);
                ParallelRange.For(x.Length, (s, e) =>
                {
                    var n = e - s;
                    fixed (float* pg = gData.AsSpan(gOff + s, n), pgx = gxData.AsSpan(gxOff + s, n), py = yData.AsSpan(yOff + s, n))
                    {
                        if (activation == Activation.Relu)
                        {
                            ActivationKernels.ReluBackwardFromOutput(py, pg, pgx, n, 1f, beta != 0);
                            return;
                        }
                        var d = BufferPool.Rent(n);
                        try
                        {
                            if (activation == Activation.Gelu) ActivationKernels.GeluDerivative(xData.AsSpan(xOff + s, n), d);
                            else ActivationKernels.SiluDerivative(xData.AsSpan(xOff + s, n), d);
                            Accumulate.Product(new Span<float>(pgx, n), d, new ReadOnlySpan<float>(pg, n), beta);
                        }
                        finally
                        {
                            BufferPool.Return(d);
                        }
                    }
                });
            });
        return y;
    }

    /// <summary>eˣ.</summary>
    public static Tensor Exp(Tensor x)
    {
        var y = Tensor.Create(x.ShapeArray);
        TensorPrimitives.Exp(x.Span, y.Span);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var gx = x.AcquireGrad(out var beta);
                Accumulate.Product(gx.Span, y.Grad!.Span, y.Span, beta);
            });
        return y;
    }

    /// <summary>Natural logarithm.</summary>
    public static Tensor Log(Tensor x)
    {
        var y = Tensor.Create(x.ShapeArray);
        TensorPrimitives.Log(x.Span, y.Span);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var gx = x.AcquireGrad(out var beta);
                WithScratch(x.Length, q =>
                {
                    TensorPrimitives.Divide(y.Grad!.Span, x.Span, q);
                    Accumulate.Into(gx.Span, q, beta);
                });
            });
        return y;
    }

    /// <summary>x².</summary>
    public static Tensor Square(Tensor x)
    {
        var y = Tensor.Create(x.ShapeArray);
        TensorPrimitives.Multiply(x.Span, x.Span, y.Span);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var gx = x.AcquireGrad(out var beta);
                WithScratch(x.Length, q =>
                {
                    TensorPrimitives.Multiply(y.Grad!.Span, x.Span, q);
                    Accumulate.Scaled(gx.Span, q, 2f, beta);
                });
            });
        return y;
    }

    /// <summary>√x.</summary>
    public static Tensor Sqrt(Tensor x)
    {
        var y = Tensor.Create(x.ShapeArray);
        TensorPrimitives.Sqrt(x.Span, y.Span);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var gx = x.AcquireGrad(out var beta);
                WithScratch(x.Length, q =>
                {
                    TensorPrimitives.Divide(y.Grad!.Span, y.Span, q);
                    Accumulate.Scaled(gx.Span, q, 0.5f, beta);
                });
            });
        return y;
    }
}
