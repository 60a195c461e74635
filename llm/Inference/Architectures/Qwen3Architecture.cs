namespace Mender.Llm.Inference.Architectures;

/// <summary>
/// qwen3: the llama block without biases plus a per-head RMSNorm of Q and K over the head dimension (after the
/// projections, before RoPE), NEOX RoPE, and an explicit head dimension (attention.key_length).
/// </summary>
internal sealed class Qwen3Architecture : TransformerArchitecture
{
    public override string Name => "qwen3";
    public override RopeStyle RopeStyle => RopeStyle.Neox;

    public override LayerWeights LoadLayer(ModelTensors tensors, ModelConfig config, int layer)
    {
        var p = $"blk.{layer}.";
        return LayerWeights.Common(tensors, config, layer,
            queryNorm: tensors.Vector(p + "attn_q_norm.weight", config.HeadDimension),
            keyNorm: tensors.Vector(p + "attn_k_norm.weight", config.HeadDimension));
    }

    public override unsafe void ForwardLayer(ForwardPass pass, LayerWeights w, int layer)
    {
        pass.RmsNorm(pass.X, w.AttentionNorm, pass.Normed);
        pass.ProjectQkv(pass.Normed, w);
        pass.NormalizeHeads(w.QueryNorm!, w.KeyNorm!);
        pass.Rope();
        pass.Attention(layer);
        pass.Project(pass.Attended, w.AttentionOutput, pass.Normed);
        pass.AddToResidual(pass.Normed);
        pass.FeedForward(w);
    }
}
