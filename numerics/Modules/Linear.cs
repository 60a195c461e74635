using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>y = x·Wᵀ + b with W [out, in], initialised like PyTorch (uniform ±1/√in).</summary>
public sealed class Linear : Module
{
    /// <summary>A layer with weights drawn from the generator and, when asked for, a bias.</summary>
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

    /// <summary>Width of the input.</summary>
    public int InFeatures { get; }
    /// <summary>Width of the output.</summary>
    public int OutFeatures { get; }
    /// <summary>The weight matrix, out × in.</summary>
    public Tensor Weight { get; }
    /// <summary>The bias; null when the layer has none.</summary>
    public Tensor? Bias { get; }

    /// <summary>x·Weightᵀ + Bias over the last dimension of x.</summary>
    public Tensor Forward(Tensor x) => Ops.Linear(x, Weight, Bias);

    /// <summary>dropout(act(x·Wᵀ + b)) fused; dropout applies in training mode only.</summary>
    public Tensor Forward(Tensor x, Activation activation, float dropout = 0f, Rng? rng = null) =>
        Ops.Linear(x, Weight, Bias, activation, Training ? dropout : 0f, rng);
}
