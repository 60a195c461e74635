using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>RMS normalization (T5, LLaMA) with a learned scale (ones).</summary>
public sealed class RmsNorm : Normalization
{
    public RmsNorm(int width, float eps = 1e-6f)
    {
        Eps = eps;
        Weight = AddParameter("weight", Tensor.Full(1f, width));
    }

    public float Eps { get; }
    public Tensor Weight { get; }

    public override Tensor Forward(Tensor x) => Ops.RmsNorm(x, Weight, Eps);
}
