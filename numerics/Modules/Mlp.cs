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

    public Activation Activation { get; }
    public float Dropout { get; }
    private Rng Rng { get; }
    public IReadOnlyList<Linear> Layers => layers;

    public Tensor Forward(Tensor x)
    {
        for (var i = 0; i < layers.Length - 1; i++) x = layers[i].Forward(x, Activation, Dropout, Rng);
        return layers[^1].Forward(x);
    }
}
