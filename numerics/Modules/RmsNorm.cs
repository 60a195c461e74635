using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>RMS normalization (T5, LLaMA) with a learned scale (ones).</summary>
public sealed class RmsNorm : Normalization
{
    /// <summary>An RMSNorm with scale 1.</summary>
    public RmsNorm(int width, float eps = 1e-6f)
    {
        Eps = eps;
        Weight = AddParameter("weight", Tensor.Full(1f, width));
    }

    /// <summary>Added to the mean square so that zero inputs do not divide by zero.</summary>
    public float Eps { get; }
    /// <summary>The learned scale.</summary>
    public Tensor Weight { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Ops.RmsNorm(x, Weight, Eps);
}
