using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>A stack of encoder layers; with pre-norm layers a final normalization closes the stack.</summary>
public sealed class TransformerEncoder : Module
{
    private readonly TransformerEncoderLayer[] layers;

    /// <summary>A stack of encoder layers with fresh weights.</summary>
    public TransformerEncoder(TransformerOptions options, int layerCount, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layerCount, 1);
        Options = options;
        layers = new TransformerEncoderLayer[layerCount];
        for (var i = 0; i < layerCount; i++)
            layers[i] = AddModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), new TransformerEncoderLayer(options, rng));
        FinalNorm = options.NormFirst ? AddModule("final_norm", Normalization.Create(options.Norm, options.ModelDim, options.NormEps)) : null;
    }

    /// <summary>The settings every layer shares.</summary>
    public TransformerOptions Options { get; }
    /// <summary>The layers, bottom first.</summary>
    public IReadOnlyList<TransformerEncoderLayer> Layers => layers;
    /// <summary>The normalization after the last layer in pre-norm stacks; null in post-norm ones.</summary>
    public Normalization? FinalNorm { get; }

    /// <summary>x [B, T, d] (already embedded) → memory [B, T, d].</summary>
    public Tensor Forward(Tensor x, AttentionMask mask = default)
    {
        foreach (var layer in layers) x = layer.Forward(x, mask);
        return FinalNorm is null ? x : FinalNorm.Forward(x);
    }
}
