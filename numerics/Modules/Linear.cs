using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>y = x·Wᵀ + b with W [out, in], initialised like PyTorch (uniform ±1/√in).</summary>
public sealed class Linear : Module
{
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        var bound = 1f / MathF.Sqrt(inFeatures);
        Weight = AddParameter("weight", Tensor.Uniform(rng, -bound, bound, outFeatures, inFeatures));
        Bias = bias ? AddParameter("bias", Tensor.Uniform(rng, -bound, bound, outFeatures)) : null;
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Tensor Weight { get; }
    public Tensor? Bias { get; }

    public Tensor Forward(Tensor x) => Ops.Linear(x, Weight, Bias);

    /// <summary>dropout(act(x·Wᵀ + b)) fused; dropout applies in training mode only.</summary>
    public Tensor Forward(Tensor x, Activation activation, float dropout = 0f, Rng? rng = null) =>
        Ops.Linear(x, Weight, Bias, activation, Training ? dropout : 0f, rng);
}
