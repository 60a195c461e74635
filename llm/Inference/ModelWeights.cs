using Mender.Llm.Inference.Architectures;
using Mender.Llm.Kernels;

namespace Mender.Llm.Inference;

/// <summary>All tensors of a model: embedding, blocks, final norm and output matrix.</summary>
internal sealed class ModelWeights
{
    public required WeightMatrix TokenEmbedding { get; init; }
    public required LayerWeights[] Layers { get; init; }
    public required float[] OutputNorm { get; init; }

    /// <summary>output.weight, or the token embedding when the model ties them (no output.weight in the file).</summary>
    public required WeightMatrix Output { get; init; }

    /// <summary>rope_freqs.weight: per-pair divisors of the RoPE frequencies (llama 3.1 style), or null.</summary>
    public float[]? RopeFrequencyFactors { get; init; }

    public static ModelWeights Load(ModelTensors t, ModelConfig c, TransformerArchitecture architecture)
    {
        var embedding = t.Matrix("token_embd.weight", c.EmbeddingLength, c.VocabSize);
        var layers = new LayerWeights[c.LayerCount];
        for (var i = 0; i < layers.Length; i++)
            layers[i] = architecture.LoadLayer(t, c, i);
        return new ModelWeights
        {
            TokenEmbedding = embedding,
            Layers = layers,
            OutputNorm = t.Vector("output_norm.weight", c.EmbeddingLength),
            Output = t.OptionalMatrix("output.weight", c.EmbeddingLength, c.VocabSize) ?? embedding,
            RopeFrequencyFactors = t.OptionalVector("rope_freqs.weight", c.RopeDimensions / 2),
        };
    }
}
