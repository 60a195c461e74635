using Mender.Llm.Gguf;

namespace Mender.Llm.Inference;

/// <summary>The hyper-parameters of a decoder-only transformer, read from GGUF metadata (<c>{arch}.*</c> keys).</summary>
internal sealed record ModelConfig
{
    public required string Architecture { get; init; }
    public required int EmbeddingLength { get; init; }
    public required int LayerCount { get; init; }
    public required int HeadCount { get; init; }
    public required int KvHeadCount { get; init; }
    public required int HeadDimension { get; init; }
    public required int FeedForwardLength { get; init; }
    public required int VocabSize { get; init; }

    /// <summary>The context length the model was trained for.</summary>
    public required int ContextLength { get; init; }

    public required float RmsEpsilon { get; init; }
    public required float RopeBase { get; init; }

    /// <summary>How many leading dimensions of each head RoPE rotates.</summary>
    public required int RopeDimensions { get; init; }

    public required RopeStyle RopeStyle { get; init; }

    /// <summary>Positions are divided by this before rotation (linear RoPE scaling); 1 for none.</summary>
    public float RopeScale { get; init; } = 1;

    public int QueryLength => HeadCount * HeadDimension;
    public int KvLength => KvHeadCount * HeadDimension;

    public static ModelConfig FromGguf(GgufFile file, RopeStyle ropeStyle)
    {
        var arch = file.Architecture;
        var embedding = file.FindTensor("token_embd.weight")
            ?? throw new InvalidDataException($"'{file.Path}': tensor 'token_embd.weight' is missing");
        if (embedding.Dimensions.Length != 2)
            throw new InvalidDataException($"'{file.Path}': token_embd.weight has {embedding.Dimensions.Length} dimensions, expected 2");

        var embeddingLength = Required(file, $"{arch}.embedding_length");
        var heads = Required(file, $"{arch}.attention.head_count");
        if (file.Metadata.TryGetValue($"{arch}.attention.head_count_kv", out var kvValue) && kvValue.IsArray)
            throw new NotSupportedException($"'{file.Path}': a different KV head count per layer is not supported");
        var kvHeads = Optional(file, $"{arch}.attention.head_count_kv") ?? heads;
        if (embeddingLength % heads != 0 && file.GetInteger($"{arch}.attention.key_length") is null)
            throw new InvalidDataException($"'{file.Path}': embedding length {embeddingLength} is not a multiple of the head count {heads}");
        var headDim = Optional(file, $"{arch}.attention.key_length") ?? embeddingLength / heads;
        var valueDim = Optional(file, $"{arch}.attention.value_length") ?? headDim;
        if (valueDim != headDim)
            throw new NotSupportedException($"'{file.Path}': key length {headDim} and value length {valueDim} differ");
        if (heads % kvHeads != 0)
            throw new InvalidDataException($"'{file.Path}': head count {heads} is not a multiple of the KV head count {kvHeads}");
        var ropeDims = Optional(file, $"{arch}.rope.dimension_count") ?? headDim;
        if (ropeDims > headDim || ropeDims % 2 != 0)
            throw new InvalidDataException($"'{file.Path}': rope.dimension_count {ropeDims} does not fit head dimension {headDim}");

        var ropeScale = 1f;
        var scalingType = file.GetString($"{arch}.rope.scaling.type");
        if (scalingType is "linear")
            ropeScale = file.GetFloat($"{arch}.rope.scaling.factor") ?? 1f;
        else if (scalingType is not (null or "none"))
            throw new NotSupportedException($"'{file.Path}': RoPE scaling '{scalingType}' is not supported");

        var config = new ModelConfig
        {
            Architecture = arch,
            EmbeddingLength = embeddingLength,
            LayerCount = Required(file, $"{arch}.block_count"),
            HeadCount = heads,
            KvHeadCount = kvHeads,
            HeadDimension = headDim,
            FeedForwardLength = Required(file, $"{arch}.feed_forward_length"),
            VocabSize = checked((int)embedding.Dimensions[1]),
            ContextLength = Optional(file, $"{arch}.context_length") ?? 2048,
            RmsEpsilon = file.GetFloat($"{arch}.attention.layer_norm_rms_epsilon") ?? 1e-5f,
            RopeBase = file.GetFloat($"{arch}.rope.freq_base") ?? 10000f,
            RopeDimensions = ropeDims,
            RopeStyle = ropeStyle,
            RopeScale = ropeScale > 0 ? ropeScale : throw new InvalidDataException($"'{file.Path}': RoPE scaling factor {ropeScale}"),
        };
        if (embedding.Dimensions[0] != embeddingLength)
            throw new InvalidDataException($"'{file.Path}': token_embd.weight rows have {embedding.Dimensions[0]} elements, embedding_length is {embeddingLength}");
        return config;
    }

    private static int Required(GgufFile file, string key) =>
        Optional(file, key) ?? throw new InvalidDataException($"'{file.Path}': metadata '{key}' is missing");

    private static int? Optional(GgufFile file, string key)
    {
        var value = file.GetInteger(key);
        if (value is null) return null;
        if (value < 1 || value > int.MaxValue)
            throw new InvalidDataException($"'{file.Path}': metadata '{key}' = {value} is out of range");
        return (int)value;
    }
}
