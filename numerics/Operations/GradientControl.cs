using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
    /// <summary>The same values with no gradient path (PyTorch's detach): a view sharing the buffer.</summary>
    public static Tensor StopGradient(Tensor x)
    {
        var view = x.ViewOf(x.ShapeArray, x.Offset);
        view.RequiresGrad = false;
        return view;
    }

    /// <summary>
    /// Straight-through estimator: the forward value is <paramref name="quantized"/>, the gradient flows unchanged to
    /// <paramref name="input"/> and none reaches quantized (x + stop_gradient(q − x), without the rounding).
    /// </summary>
    public static Tensor StraightThrough(Tensor input, Tensor quantized)
    {
        if (!ShapeOps.Same(input.Shape, quantized.Shape))
            throw new ArgumentException($"StraightThrough needs equal shapes, got {input.Describe()} and {quantized.Describe()}");
        var y = Tensor.Create(input.ShapeArray);
        quantized.Span.CopyTo(y.Span);
        if (Tape.ShouldRecord(input))
            Tape.Record(y, () =>
            {
                var gx = input.AcquireGrad(out var beta);
                Accumulate.Into(gx.Span, y.Grad!.Span, beta);
            });
        return y;
    }
}
