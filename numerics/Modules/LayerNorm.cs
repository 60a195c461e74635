using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>Layer normalization with learned scale (ones) and shift (zeros).</summary>
public sealed class LayerNorm : Normalization
{
    public LayerNorm(int width, float eps = 1e-5f, bool bias = true)
    {
        Eps = eps;
        Weight = AddParameter("weight", Tensor.Full(1f, width));
        Bias = bias ? AddParameter("bias", Tensor.Zeros(width)) : null;
    }

    public float Eps { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public override Tensor Forward(Tensor x) => Ops.LayerNorm(x, Weight, Bias, Eps);
}
