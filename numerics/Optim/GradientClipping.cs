using Mender.Numerics.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Mender.Numerics.Optim;

/// <summary>Global-norm gradient clipping (torch.nn.utils.clip_grad_norm_).</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all gradients by maxNorm/(‖g‖ + 1e-6) when their joint L2 norm exceeds maxNorm; returns the norm
    /// before clipping. Parameters without a gradient are ignored.
    /// </summary>
    public static float ClipGlobalNorm(IEnumerable<Tensor> parameters, float maxNorm)
    {
        double squares = 0;
        var grads = new List<Tensor>();
        foreach (var p in parameters)
        {
            var g = p.Grad;
            if (g is null) continue;
            grads.Add(g);
            squares += TensorPrimitives.SumOfSquares(g.Span);
        }
        var norm = (float)Math.Sqrt(squares);
        if (norm > maxNorm)
        {
            var scale = maxNorm / (norm + 1e-6f);
            foreach (var g in grads) TensorPrimitives.Multiply(g.Span, scale, g.Span);
        }
        return norm;
    }
}
