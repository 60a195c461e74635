using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>The transformer's position-wise block: Linear(d→ff) → activation → dropout → Linear(ff→d), the first three fused.</summary>
public sealed class FeedForward : Module
{
    private readonly Rng rng;

    public FeedForward(int modelDim, int hiddenDim, Activation activation, float dropout, Rng rng, bool bias = true)
    {
        this.rng = rng;
        Activation = activation;
        Dropout = dropout;
        Up = AddModule("up", new Linear(modelDim, hiddenDim, rng, bias));
        Down = AddModule("down", new Linear(hiddenDim, modelDim, rng, bias));
    }

    public Activation Activation { get; }
    public float Dropout { get; }
    public Linear Up { get; }
    public Linear Down { get; }

    public Tensor Forward(Tensor x) => Down.Forward(Up.Forward(x, Activation, Dropout, rng));
}
