using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>Layer normalization with learned scale (ones) and shift (zeros).</summary>
public sealed class LayerNorm : Normalization
{
    /// <summary>A LayerNorm with scale 1 and, when asked for, bias 0.</summary>
    public LayerNorm(int width, float eps = 1e-5f, bool bias = true)
    {
        Eps = eps;
        Weight = AddParameter("weight", Tensor.Full(1f, width));
        Bias = bias ? AddParameter("bias", Tensor.Zeros(width)) : null;
    }

    /// <summary>Added to the variance so that constant inputs do not divide by zero.</summary>
    public float Eps { get; }
    /// <summary>The learned scale.</summary>
    public Tensor Weight { get; }
    /// <summary>The learned shift; null when the layer has none.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Ops.LayerNorm(x, Weight, Bias, Eps);
}
