using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>
/// A stack of Linear layers: sizes [in, hidden..., out]; every hidden layer applies the activation and dropout
/// (fused into its product), the last layer is plain linear.
/// </summary>
public sealed class Mlp : Module
{
    private readonly Linear[] layers;

    /// <summary>Linear layers between consecutive sizes, the activation between them and none after the last.</summary>
    public Mlp(IReadOnlyList<int> sizes, Activation activation, Rng rng, float dropout = 0f)
    {
        if (sizes.Count < 2) throw new ArgumentException("an MLP needs at least input and output sizes");
        Activation = activation;
        Dropout = dropout;
        Rng = rng;
        layers = new Linear[sizes.Count - 1];
        for (var i = 0; i < layers.Length; i++)
            layers[i] = AddModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), new Linear(sizes[i], sizes[i + 1], rng));
    }

    /// <summary>The nonlinearity between layers.</summary>
    public Activation Activation { get; }
    /// <summary>Dropout rate after each hidden activation, in training mode.</summary>
    public float Dropout { get; }
    private Rng Rng { get; }
    /// <summary>The layers, input first.</summary>
    public IReadOnlyList<Linear> Layers => layers;

    /// <summary>Applies the layers in turn to the last dimension of x.</summary>
    public Tensor Forward(Tensor x)
    {
        for (var i = 0; i < layers.Length - 1; i++) x = layers[i].Forward(x, Activation, Dropout, Rng);
        return layers[^1].Forward(x);
    }
}
