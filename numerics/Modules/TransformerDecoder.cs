using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>A stack of decoder layers over an encoder memory; with pre-norm layers a final normalization closes the stack.</summary>
public sealed class TransformerDecoder : Module
{
    private readonly TransformerDecoderLayer[] layers;

    /// <summary>A stack of decoder layers, attending to a memory of the given width (the model width by default).</summary>
    public TransformerDecoder(TransformerOptions options, int layerCount, Rng rng, int? memoryDim = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(layerCount, 1);
        Options = options;
        layers = new TransformerDecoderLayer[layerCount];
        for (var i = 0; i < layerCount; i++)
            layers[i] = AddModule(i.ToString(System.Globalization.CultureInfo.InvariantCulture), new TransformerDecoderLayer(options, rng, memoryDim));
        FinalNorm = options.NormFirst ? AddModule("final_norm", Normalization.Create(options.Norm, options.ModelDim, options.NormEps)) : null;
    }

    /// <summary>The settings every layer shares.</summary>
    public TransformerOptions Options { get; }
    /// <summary>The layers, bottom first.</summary>
    public IReadOnlyList<TransformerDecoderLayer> Layers => layers;
    /// <summary>The normalization after the last layer in pre-norm stacks; null in post-norm ones.</summary>
    public Normalization? FinalNorm { get; }

    /// <summary>x [B, Tq, d] (already embedded) attending to memory [B, Tk, memory width] → [B, Tq, d].</summary>
    public Tensor Forward(Tensor x, Tensor memory, AttentionMask memoryMask = default, AttentionMask? selfMask = null)
    {
        foreach (var layer in layers) x = layer.Forward(x, memory, memoryMask, selfMask);
        return FinalNorm is null ? x : FinalNorm.Forward(x);
    }

    /// <summary>
    /// Each layer's cache for <see cref="Step"/> against memory [memories, Tk, memory width], whose key/value projections
    /// are computed here once for all steps.
    /// </summary>
    public DecoderLayerCache[] StartDecoding(Tensor memory, AttentionMask memoryMask = default) =>
        Array.ConvertAll(layers, layer => layer.StartDecoding(memory, memoryMask));

    /// <summary>
    /// One incremental decoding step through every layer (<see cref="TransformerDecoderLayer.Step"/>): x [rows, 1, d]
    /// is each row's newest position → [rows, 1, d], what <see cref="Forward"/> gives at that position.
    /// </summary>
    public Tensor Step(Tensor x, IReadOnlyList<DecoderLayerCache> caches, ReadOnlySpan<int> parents = default)
    {
        if (caches.Count != layers.Length) throw new ArgumentException($"{caches.Count} caches for {layers.Length} decoder layers");
        for (var i = 0; i < layers.Length; i++) x = layers[i].Step(x, caches[i], parents);
        return FinalNorm is null ? x : FinalNorm.Forward(x);
    }
}
