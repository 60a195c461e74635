using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>
/// A decoder layer: causal self-attention, cross-attention to the encoder memory, then feed-forward; each in a
/// residual with dropout, pre- or post-norm.
/// </summary>
public sealed class TransformerDecoderLayer : Module
{
    private readonly Rng rng;

    /// <summary>A decoder layer with fresh weights, attending to a memory of the given width (the model width by default).</summary>
    public TransformerDecoderLayer(TransformerOptions options, Rng rng, int? memoryDim = null)
    {
        options.Validate();
        Options = options;
        this.rng = rng;
        var d = options.ModelDim;
        SelfAttention = AddModule("self_attention", new MultiHeadAttention(d, options.Heads, options.HeadDim, rng,
            dropout: options.EffectiveAttentionDropout, bias: options.Bias));
        SelfAttentionNorm = AddModule("self_attention_norm", Normalization.Create(options.Norm, d, options.NormEps));
        CrossAttention = AddModule("cross_attention", new MultiHeadAttention(d, options.Heads, options.HeadDim, rng,
            cross: true, memoryDim: memoryDim, dropout: options.EffectiveAttentionDropout, bias: options.Bias));
        CrossAttentionNorm = AddModule("cross_attention_norm", Normalization.Create(options.Norm, d, options.NormEps));
        FeedForward = AddModule("feed_forward", new FeedForward(d, options.FeedForwardDim, options.Activation, options.Dropout, rng, options.Bias));
        FeedForwardNorm = AddModule("feed_forward_norm", Normalization.Create(options.Norm, d, options.NormEps));
    }

    /// <summary>The layer's settings.</summary>
    public TransformerOptions Options { get; }
    /// <summary>Causal attention over the positions decoded so far.</summary>
    public MultiHeadAttention SelfAttention { get; }
    /// <summary>The normalization that goes with the self-attention sublayer.</summary>
    public Normalization SelfAttentionNorm { get; }
    /// <summary>Attention over the encoder's memory.</summary>
    public MultiHeadAttention CrossAttention { get; }
    /// <summary>The normalization that goes with the cross-attention sublayer.</summary>
    public Normalization CrossAttentionNorm { get; }
    /// <summary>The position-wise feed-forward sublayer.</summary>
    public FeedForward FeedForward { get; }
    /// <summary>The normalization that goes with the feed-forward sublayer.</summary>
    public Normalization FeedForwardNorm { get; }

    /// <summary>
    /// x [B, Tq, d] attending causally to itself and to memory [B, Tk, memory width].
    /// selfMask defaults to causal; memoryMask usually marks the memory's padding.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor memory, AttentionMask memoryMask = default, AttentionMask? selfMask = null)
    {
        var p = Options.Dropout;
        var causal = selfMask ?? AttentionMask.CausalOnly;
        if (Options.NormFirst)
        {
            x = Ops.AddDropout(x, SelfAttention.Forward(SelfAttentionNorm.Forward(x), causal), p, rng, Training);
            x = Ops.AddDropout(x, CrossAttention.Forward(CrossAttentionNorm.Forward(x), memory, memoryMask), p, rng, Training);
            return Ops.AddDropout(x, FeedForward.Forward(FeedForwardNorm.Forward(x)), p, rng, Training);
        }
        x = SelfAttentionNorm.Forward(Ops.AddDropout(x, SelfAttention.Forward(x, causal), p, rng, Training));
        x = CrossAttentionNorm.Forward(Ops.AddDropout(x, CrossAttention.Forward(x, memory, memoryMask), p, rng, Training));
        return FeedForwardNorm.Forward(Ops.AddDropout(x, FeedForward.Forward(x), p, rng, Training));
    }

    /// <summary>The cache of <see cref="Step"/> for decoding against memory [memories, Tk, memory width].</summary>
    public DecoderLayerCache StartDecoding(Tensor memory, AttentionMask memoryMask = default) =>
        new(CrossAttention.ProjectMemory(memory), memoryMask);

    /// <summary>
    /// One incremental decoding step, inference only: x [rows, 1, d] is each row's newest position; it attends to the
    /// positions before it through the cache, which it joins. Consecutive groups of rows / memories rows share one
    /// memory row, so a query's beams read its memory without copies. Row r continues cached row
    /// <paramref name="parents"/>[r] (beam search reorders rows as beams fork); empty parents keep rows in place. The
    /// result is what <see cref="Forward"/> gives at the same position.
    /// </summary>
    public Tensor Step(Tensor x, DecoderLayerCache cache, ReadOnlySpan<int> parents = default)
    {
        if (Training) throw new InvalidOperationException("switch the layer to evaluation mode before decoding step by step");
        var (rows, d) = (x.Dim(0), x.Dim(2));
        var memories = cache.MemoryKv.Dim(0);
        if (x.Dim(1) != 1 || rows % memories != 0)
            throw new ArgumentException($"a decoding step takes one position per row and rows a multiple of the {memories} memories, got {x.Describe()}");
        Tensor Cross(Tensor h) => CrossAttention.Attend(h.Reshape(memories, rows / memories, d), cache.MemoryKv, cache.MemoryMask).Reshape(rows, 1, d);
        if (Options.NormFirst)
        {
            x += SelfAttention.Step(SelfAttentionNorm.Forward(x), cache.SelfAttention, parents);
            x += Cross(CrossAttentionNorm.Forward(x));
            return x + FeedForward.Forward(FeedForwardNorm.Forward(x));
        }
        x = SelfAttentionNorm.Forward(x + SelfAttention.Step(x, cache.SelfAttention, parents));
        x = CrossAttentionNorm.Forward(x + Cross(x));
        return FeedForwardNorm.Forward(x + FeedForward.Forward(x));
    }
}
