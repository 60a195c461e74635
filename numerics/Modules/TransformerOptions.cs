using Mender.Numerics.Operations;

namespace Mender.Numerics.Modules;

/// <summary>
/// Shape and regularisation of a transformer layer. Defaults follow the TIGER recommender's layer
/// (d 128, 6 heads × 64, FF 1024, ReLU, dropout 0.1, pre-norm LayerNorm).
/// </summary>
public sealed record TransformerOptions
{
    public int ModelDim { get; init; } = 128;
    public int Heads { get; init; } = 6;
    public int HeadDim { get; init; } = 64;
    public int FeedForwardDim { get; init; } = 1024;
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>Dropout after each sublayer and inside the feed-forward block.</summary>
    public float Dropout { get; init; } = 0.1f;

    /// <summary>Dropout on attention weights; null means the same as <see cref="Dropout"/> (as in PyTorch).</summary>
    public float? AttentionDropout { get; init; }

    /// <summary>Pre-norm (x + f(norm(x))) when true, post-norm (norm(x + f(x))) when false.</summary>
    public bool NormFirst { get; init; } = true;

    public NormKind Norm { get; init; } = NormKind.LayerNorm;
    public float NormEps { get; init; } = 1e-5f;
    public bool Bias { get; init; } = true;

    internal float EffectiveAttentionDropout => AttentionDropout ?? Dropout;

    internal void Validate()
    {
        if (ModelDim < 1 || Heads < 1 || HeadDim < 1 || FeedForwardDim < 1)
            throw new ArgumentException($"transformer sizes must be positive: {this}");
        if (!(Dropout >= 0 && Dropout < 1) || !(EffectiveAttentionDropout >= 0 && EffectiveAttentionDropout < 1))
            throw new ArgumentException($"dropout must be in [0, 1): {this}");
    }
}
