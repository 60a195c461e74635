namespace Mender.Llm.Inference.Architectures;

/// <summary>
/// What differs between the supported decoder-only architectures: which tensors a block has, how RoPE pairs
/// dimensions, and how one block composes the shared operations of <see cref="ForwardPass"/>.
/// </summary>
internal abstract class TransformerArchitecture
{
    /// <summary>The general.architecture value.</summary>
    public abstract string Name { get; }

    public abstract RopeStyle RopeStyle { get; }

    public abstract LayerWeights LoadLayer(ModelTensors tensors, ModelConfig config, int layer);

    /// <summary>Runs block <paramref name="layer"/> on the batch in <paramref name="pass"/>, updating its residual stream.</summary>
    public abstract void ForwardLayer(ForwardPass pass, LayerWeights weights, int layer);

    public static IReadOnlyList<string> Supported { get; } = ["llama", "qwen2", "qwen3"];

    public static TransformerArchitecture For(string name) => name switch
    {
        "llama" => new LlamaArchitecture(),
        "qwen2" => new Qwen2Architecture(),
        "qwen3" => new Qwen3Architecture(),
        _ => throw new NotSupportedException(
            $"architecture '{name}' is not supported (supported: {string.Join(", ", Supported)})"),
    };
}
