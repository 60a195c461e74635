namespace Mender.Llm.Inference.Architectures;

/// <summary>
/// llama: pre-norm blocks of grouped-query attention and a SwiGLU feed-forward, no biases, RoPE on adjacent pairs
/// (GGUF converters permute the Q/K rows so that this matches the original half-split weights).
/// </summary>
internal sealed class LlamaArchitecture : TransformerArchitecture
{
    public override string Name => "llama";
    public override RopeStyle RopeStyle => RopeStyle.Normal;

    public override LayerWeights LoadLayer(ModelTensors tensors, ModelConfig config, int layer) =>
        LayerWeights.Common(tensors, config, layer);

    public override unsafe void ForwardLayer(ForwardPass pass, LayerWeights w, int layer)
    {
        pass.RmsNorm(pass.X, w.AttentionNorm, pass.Normed);
        pass.ProjectQkv(pass.Normed, w);
        pass.Rope();
        pass.Attention(layer);
        pass.Project(pass.Attended, w.AttentionOutput, pass.Normed);
        pass.AddToResidual(pass.Normed);
        pass.FeedForward(w);
    }
}
