using Mender.Numerics;
using Mender.Numerics.Modules;
using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Recommender.Model;

/// <summary>
/// The Mender generative retriever (MenderEmb style), read top-down: config → embeddings → encoder → decoder → head.
/// The encoder reads [preference] + history, where the preference is a text embedding projected to the model width and
/// each history item is the sum of its SID token embeddings (and, when configured, of its own id's embedding) plus a
/// recency position embedding. The decoder starts at BOS and emits the item's SID tokens one position at a time. Token
/// embeddings are shared between encoder and decoder.
/// </summary>
public sealed class MenderModel : Module
{
    private readonly Rng rng;
    private readonly int[] codePositionIds;

    /// <summary>A model with fresh random weights drawn from the config's seed.</summary>
    public MenderModel(MenderModelConfig config)
    {
        config.Validate();
        Config = config;
        Vocabulary = new SidVocabulary(config.CodebookSizes);
        codePositionIds = Enumerable.Range(0, Vocabulary.Length).ToArray();
        rng = new Rng(config.Seed);
        var d = config.ModelDim;
        var options = new TransformerOptions
        {
            ModelDim = d, Heads = config.Heads, HeadDim = config.HeadDim, FeedForwardDim = config.FeedForwardDim, Dropout = config.Dropout,
        };
        Tokens = AddModule("tokens", new Embedding(Vocabulary.Size, d, rng, std: 0.02f));
        ItemPositions = AddModule("item_positions", new Embedding(config.MaxHistory, d, rng, std: 0.02f));
        if (config.Mode == MenderMode.Mender)
            Preference = AddModule("preference", new Linear(config.PreferenceDim, d, rng));
        Encoder = AddModule("encoder", new TransformerEncoder(options, config.EncoderLayers, rng));
        CodePositions = AddModule("code_positions", new Embedding(Vocabulary.Length, d, rng, std: 0.02f));
        Decoder = AddModule("decoder", new TransformerDecoder(options, config.DecoderLayers, rng));
        Head = AddModule("head", new Linear(d, Vocabulary.Size, rng));
        if (config.ItemIds)
            ItemEmbeddings = AddModule("item_ids", new Embedding(config.ItemCount + (config.ItemIdDropout > 0 ? 1 : 0), d, rng, std: 0.02f));
        if (config.ItemText)
            ItemTextProjection = AddModule("item_text", new Linear(config.ItemTextDim, d, rng));
    }

    /// <summary>The shape the model was built with.</summary>
    public MenderModelConfig Config { get; }
    /// <summary>The token ids of the SID codes and the special tokens.</summary>
    public SidVocabulary Vocabulary { get; }
    /// <summary>Embeddings of the SID tokens, shared by encoder and decoder.</summary>
    public Embedding Tokens { get; }
    /// <summary>Learned embeddings of an item's position in the history.</summary>
    public Embedding ItemPositions { get; }
    /// <summary>Projects the preference embedding into the model; null in tiger mode.</summary>
    public Linear? Preference { get; }
    /// <summary>Reads the history (and the preference).</summary>
    public TransformerEncoder Encoder { get; }
    /// <summary>Learned embeddings of a code's position within a SID.</summary>
    public Embedding CodePositions { get; }
    /// <summary>Writes the next item's SID one code at a time.</summary>
    public TransformerDecoder Decoder { get; }
    /// <summary>Scores the next token from the decoder's output.</summary>
    public Linear Head { get; }
    /// <summary>Learned embeddings of the history items' own ids; null when item ids are off.</summary>
    public Embedding? ItemEmbeddings { get; }
    /// <summary>Projects item text embeddings into the model; null when item text is off.</summary>
    public Linear? ItemTextProjection { get; }

    /// <summary>The catalogue's text embeddings [items, ItemTextDim] (data, not parameters) when item text is on.</summary>
    public Tensor? ItemTextEmbeddings { get; private set; }

    /// <summary>Supplies the item text embeddings a model with <see cref="MenderModelConfig.ItemText"/> reads.</summary>
    public void AttachItemText(Tensor embeddings)
    {
        if (ItemTextProjection is null) throw new InvalidOperationException("this model was configured without item text");
        if (embeddings.Rank != 2 || embeddings.Dim(1) != Config.ItemTextDim)
            throw new ArgumentException($"item text embeddings must be [items, {Config.ItemTextDim}], got [{string.Join(", ", embeddings.Shape.ToArray())}]");
        ItemTextEmbeddings = embeddings;
    }

    /// <summary>Encoder slots before the history: one in mender mode.</summary>
    public int PreferenceSlots => Preference is null ? 0 : 1;

    /// <summary>The generator behind initialisation and dropout; its state goes into training checkpoints.</summary>
    internal Rng Random => rng;

    /// <summary>
    /// Encoder memory [rows, slots, d] of a batch. <paramref name="preferences"/> is [rows, PreferenceDim] (zeros for a row
    /// without a preference) in mender mode and ignored otherwise.
    /// </summary>
    internal Tensor Encode(MenderBatch batch, Tensor? preferences)
    {
        var length = Vocabulary.Length;
        var items = Tokens.Forward(batch.ItemTokens, batch.Rows, batch.Items, length).Sum(2)
            + ItemPositions.Forward(batch.Positions, batch.Rows, batch.Items);
        if (ItemEmbeddings is not null)
            items += ItemEmbeddings.Forward(DropItemIds(batch.ItemIds), batch.Rows, batch.Items);
        if (ItemTextProjection is not null)
        {
            var text = ItemTextEmbeddings ?? throw new InvalidOperationException("attach the item text embeddings first (AttachItemText)");
            items += ItemTextProjection.Forward(Ops.IndexSelect(text, batch.ItemIds, batch.Rows, batch.Items));
        }
        if (Preference is not null)
        {
            if (preferences is null) throw new ArgumentException("mender mode needs a preference embedding per row");
            var slot = Preference.Forward(preferences).Reshape(batch.Rows, 1, Config.ModelDim);
            items = Ops.Concat([slot, items], 1);
        }
        items = Ops.Dropout(items, Config.Dropout, rng, Training);
        return Encoder.Forward(items, Mask(batch));
    }

    /// <summary>The ids a training step reads: each replaced by the "unknown item" row (the last) at the configured rate.</summary>
    private int[] DropItemIds(int[] ids)
    {
        if (!Training || Config.ItemIdDropout == 0) return ids;
        var keep = Ops.DropoutKeep(ids.Length, Config.ItemIdDropout, rng);
        var read = new int[ids.Length];
        for (var i = 0; i < ids.Length; i++) read[i] = keep[i] ? ids[i] : Config.ItemCount;
        return read;
    }

    internal static AttentionMask Mask(MenderBatch batch) => new(KeyLengths: batch.KeyLengths);

    /// <summary>Decoder input tokens [rows, steps] embedded with their code positions, which start at <paramref name="first"/>.</summary>
    internal Tensor EmbedDecoderInput(ReadOnlySpan<int> tokens, int rows, int steps, int first = 0)
    {
        return Tokens.Forward(tokens, rows, steps) + CodePositions.Forward(codePositionIds.AsSpan(first, steps));
    }

    /// <summary>Teacher-forced logits [rows·L, vocabulary] for the targets' SID tokens [rows, L].</summary>
    internal Tensor Forward(MenderBatch batch, Tensor? preferences, int[] targetTokens)
    {
        var length = Vocabulary.Length;
        var memory = Encode(batch, preferences);
        var input = new int[batch.Rows * length];
        for (var r = 0; r < batch.Rows; r++)
        {
            input[r * length] = SidVocabulary.Bos;
            Array.Copy(targetTokens, r * length, input, r * length + 1, length - 1);
        }
        var x = Ops.Dropout(EmbedDecoderInput(input, batch.Rows, length), Config.Dropout, rng, Training);
        var hidden = Decoder.Forward(x, memory, Mask(batch));
        return Head.Forward(hidden).Reshape(batch.Rows * length, Vocabulary.Size);
    }

    /// <summary>Mean cross-entropy of the targets' SID tokens.</summary>
    public Tensor Loss(MenderBatch batch, Tensor? preferences, int[] targetTokens) =>
        Ops.CrossEntropy(Forward(batch, preferences, targetTokens), targetTokens);
}
