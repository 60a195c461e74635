namespace Mender.Llm.Inference.Architectures;

/// <summary>
/// qwen2: the llama block with biases on the Q, K and V projections (added before RoPE), NEOX RoPE (pairs i, i + d/2),
/// and usually an output matrix tied to the token embedding.
/// </summary>
internal sealed class Qwen2Architecture : TransformerArchitecture
{
    public override string Name => "qwen2";
    public override RopeStyle RopeStyle => RopeStyle.Neox;

    public override LayerWeights LoadLayer(ModelTensors tensors, ModelConfig config, int layer)
    {
        var p = $"blk.{layer}.";
        return LayerWeights.Common(tensors, config, layer,
            queryBias: tensors.Vector(p + "attn_q.bias", config.QueryLength),
            keyBias: tensors.Vector(p + "attn_k.bias", config.KvLength),
            valueBias: tensors.Vector(p + "attn_v.bias", config.KvLength));
    }

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
