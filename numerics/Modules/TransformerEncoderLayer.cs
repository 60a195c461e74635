using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>
/// An encoder layer: self-attention then feed-forward, each wrapped in a residual with dropout, normalised before
/// (pre-norm) or after (post-norm) the sublayer.
/// </summary>
public sealed class TransformerEncoderLayer : Module
{
    private readonly Rng rng;

    /// <summary>An encoder layer with fresh weights.</summary>
    public TransformerEncoderLayer(TransformerOptions options, Rng rng)
    {
        options.Validate();
        Options = options;
        this.rng = rng;
        var d = options.ModelDim;
        SelfAttention = AddModule("attention", new MultiHeadAttention(d, options.Heads, options.HeadDim, rng,
            dropout: options.EffectiveAttentionDropout, bias: options.Bias));
        AttentionNorm = AddModule("attention_norm", Normalization.Create(options.Norm, d, options.NormEps));
        FeedForward = AddModule("feed_forward", new FeedForward(d, options.FeedForwardDim, options.Activation, options.Dropout, rng, options.Bias));
        FeedForwardNorm = AddModule("feed_forward_norm", Normalization.Create(options.Norm, d, options.NormEps));
    }

    /// <summary>The layer's settings.</summary>
    public TransformerOptions Options { get; }
    /// <summary>Attention over the layer's input.</summary>
    public MultiHeadAttention SelfAttention { get; }
    /// <summary>The normalization that goes with the attention sublayer.</summary>
    public Normalization AttentionNorm { get; }
    /// <summary>The position-wise feed-forward sublayer.</summary>
    public FeedForward FeedForward { get; }
    /// <summary>The normalization that goes with the feed-forward sublayer.</summary>
    public Normalization FeedForwardNorm { get; }

    /// <summary>x [B, T, d] → [B, T, d]; the mask usually marks key padding.</summary>
    public Tensor Forward(Tensor x, AttentionMask mask = default)
    {
        var p = Options.Dropout;
        if (Options.NormFirst)
        {
            x = Ops.AddDropout(x, SelfAttention.Forward(AttentionNorm.Forward(x), mask), p, rng, Training);
            return Ops.AddDropout(x, FeedForward.Forward(FeedForwardNorm.Forward(x)), p, rng, Training);
        }
        x = AttentionNorm.Forward(Ops.AddDropout(x, SelfAttention.Forward(x, mask), p, rng, Training));
        return FeedForwardNorm.Forward(Ops.AddDropout(x, FeedForward.Forward(x), p, rng, Training));
    }
}
