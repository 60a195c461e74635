using Mender.Llm.Kernels;

namespace Mender.Llm.Inference;

/// <summary>The tensors of one transformer block; the optional ones are null when an architecture has none.</summary>
internal sealed class LayerWeights
{
    public required float[] AttentionNorm { get; init; }
    public required WeightMatrix Query { get; init; }
    public required WeightMatrix Key { get; init; }
    public required WeightMatrix Value { get; init; }
    public required WeightMatrix AttentionOutput { get; init; }
    public float[]? QueryBias { get; init; }
    public float[]? KeyBias { get; init; }
    public float[]? ValueBias { get; init; }

    /// <summary>Per-head RMSNorm weights over the head dimension (qwen3).</summary>
    public float[]? QueryNorm { get; init; }

    public float[]? KeyNorm { get; init; }
    public required float[] FeedForwardNorm { get; init; }
    public required WeightMatrix Gate { get; init; }
    public required WeightMatrix Up { get; init; }
    public required WeightMatrix Down { get; init; }

    /// <summary>The attention and feed-forward tensors every llama-like block has, with llama.cpp's names.</summary>
    public static LayerWeights Common(ModelTensors t, ModelConfig c, int layer,
        float[]? queryBias = null, float[]? keyBias = null, float[]? valueBias = null,
        float[]? queryNorm = null, float[]? keyNorm = null)
    {
        var p = $"blk.{layer}.";
        return new LayerWeights
        {
            AttentionNorm = t.Vector(p + "attn_norm.weight", c.EmbeddingLength),
            Query = t.Matrix(p + "attn_q.weight", c.EmbeddingLength, c.QueryLength),
            Key = t.Matrix(p + "attn_k.weight", c.EmbeddingLength, c.KvLength),
            Value = t.Matrix(p + "attn_v.weight", c.EmbeddingLength, c.KvLength),
            AttentionOutput = t.Matrix(p + "attn_output.weight", c.QueryLength, c.EmbeddingLength),
            QueryBias = queryBias,
            KeyBias = keyBias,
            ValueBias = valueBias,
            QueryNorm = queryNorm,
            KeyNorm = keyNorm,
            FeedForwardNorm = t.Vector(p + "ffn_norm.weight", c.EmbeddingLength),
            Gate = t.Matrix(p + "ffn_gate.weight", c.EmbeddingLength, c.FeedForwardLength),
            Up = t.Matrix(p + "ffn_up.weight", c.EmbeddingLength, c.FeedForwardLength),
            Down = t.Matrix(p + "ffn_down.weight", c.FeedForwardLength, c.EmbeddingLength),
        };
    }
}
