using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>The transformer's position-wise block: Linear(d→ff) → activation → dropout → Linear(ff→d), the first three fused.</summary>
public sealed class FeedForward : Module
{
    private readonly Rng rng;

    /// <summary>A block that widens to the hidden size, applies the activation and dropout, and narrows back.</summary>
    public FeedForward(int modelDim, int hiddenDim, Activation activation, float dropout, Rng rng, bool bias = true)
    {
        this.rng = rng;
        Activation = activation;
        Dropout = dropout;
        Up = AddModule("up", new Linear(modelDim, hiddenDim, rng, bias));
        Down = AddModule("down", new Linear(hiddenDim, modelDim, rng, bias));
    }

    /// <summary>The nonlinearity between the two layers.</summary>
    public Activation Activation { get; }
    /// <summary>Dropout rate after the activation, in training mode.</summary>
    public float Dropout { get; }
    /// <summary>The widening layer.</summary>
    public Linear Up { get; }
    /// <summary>The narrowing layer.</summary>
    public Linear Down { get; }

    /// <summary>Applies the block to the last dimension of x.</summary>
    public Tensor Forward(Tensor x) => Down.Forward(Up.Forward(x, Activation, Dropout, rng));
}
