using Mender.Numerics;
using Mender.Numerics.Modules;
using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Benchmark;

/// <summary>The sizes of the training-step benchmark's encoder-decoder (TIGER's recommender by default).</summary>
public sealed record Seq2SeqShape
{
    /// <summary>Tokens the model reads and predicts.</summary>
    public int Vocabulary { get; init; } = 1026;
    /// <summary>Tokens per encoder input (the history as semantic-ID codes).</summary>
    public int EncoderLength { get; init; } = 80;
    /// <summary>Tokens per decoder input (one item's codes).</summary>
    public int DecoderLength { get; init; } = 5;
    /// <summary>Transformer layers in the encoder.</summary>
    public int EncoderLayers { get; init; } = 4;
    /// <summary>Transformer layers in the decoder.</summary>
    public int DecoderLayers { get; init; } = 4;
    /// <summary>The width, heads, feed-forward size and dropout of every layer.</summary>
    public TransformerOptions Layer { get; init; } = new();
}

/// <summary>
/// A T5/TIGER-style encoder-decoder: shared token embedding plus learned positions, pre-norm encoder and decoder
/// stacks, and a vocabulary head over the decoder states.
/// </summary>
internal sealed class Seq2SeqBenchModel : Module
{
    private readonly Rng rng;

    public Seq2SeqBenchModel(Seq2SeqShape shape, Rng rng)
    {
        Shape = shape;
        this.rng = rng;
        var d = shape.Layer.ModelDim;
        Tokens = AddModule("tokens", new Embedding(shape.Vocabulary, d, rng, std: 0.02f));
        EncoderPositions = AddModule("encoder_positions", new Embedding(shape.EncoderLength, d, rng, std: 0.02f));
        DecoderPositions = AddModule("decoder_positions", new Embedding(shape.DecoderLength, d, rng, std: 0.02f));
        Encoder = AddModule("encoder", new TransformerEncoder(shape.Layer, shape.EncoderLayers, rng));
        Decoder = AddModule("decoder", new TransformerDecoder(shape.Layer, shape.DecoderLayers, rng));
        Head = AddModule("head", new Linear(d, shape.Vocabulary, rng));
        EncoderPositionIds = Enumerable.Range(0, shape.EncoderLength).ToArray();
        DecoderPositionIds = Enumerable.Range(0, shape.DecoderLength).ToArray();
    }

    public Seq2SeqShape Shape { get; }
    public Embedding Tokens { get; }
    public Embedding EncoderPositions { get; }
    public Embedding DecoderPositions { get; }
    public TransformerEncoder Encoder { get; }
    public TransformerDecoder Decoder { get; }
    public Linear Head { get; }
    private int[] EncoderPositionIds { get; }
    private int[] DecoderPositionIds { get; }

    /// <summary>Logits [batch·decoderLength, vocabulary] for encoder ids [batch·Te] and decoder input ids [batch·Td].</summary>
    public Tensor Forward(ReadOnlySpan<int> encoderIds, ReadOnlySpan<int> decoderIds, int batch)
    {
        var (te, td) = (Shape.EncoderLength, Shape.DecoderLength);
        var p = Training ? Shape.Layer.Dropout : 0f;
        var source = Ops.Dropout(Tokens.Forward(encoderIds, batch, te) + EncoderPositions.Forward(EncoderPositionIds), p, rng, Training);
        var memory = Encoder.Forward(source);
        var target = Ops.Dropout(Tokens.Forward(decoderIds, batch, td) + DecoderPositions.Forward(DecoderPositionIds), p, rng, Training);
        var states = Decoder.Forward(target, memory);
        return Head.Forward(states).Reshape(batch * td, Shape.Vocabulary);
    }
}
