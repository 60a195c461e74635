using Mender.Numerics.Operations;

namespace Mender.Numerics.Modules;

/// <summary>
/// Shape and regularisation of a transformer layer. Defaults follow the TIGER recommender's layer
/// (d 128, 6 heads × 64, FF 1024, ReLU, dropout 0.1, pre-norm LayerNorm).
/// </summary>
public sealed record TransformerOptions
{
    /// <summary>Width of the layers' input and output.</summary>
    public int ModelDim { get; init; } = 128;
    /// <summary>Attention heads per layer.</summary>
    public int Heads { get; init; } = 6;
    /// <summary>Width of one attention head; heads × head width need not equal the model width.</summary>
    public int HeadDim { get; init; } = 64;
    /// <summary>Hidden width of the feed-forward sublayers.</summary>
    public int FeedForwardDim { get; init; } = 1024;
    /// <summary>The feed-forward nonlinearity.</summary>
    public Activation Activation { get; init; } = Activation.Relu;

    /// <summary>Dropout after each sublayer and inside the feed-forward block.</summary>
    public float Dropout { get; init; } = 0.1f;

    /// <summary>Dropout on attention weights; null means the same as <see cref="Dropout"/> (as in PyTorch).</summary>
    public float? AttentionDropout { get; init; }

    /// <summary>Pre-norm (x + f(norm(x))) when true, post-norm (norm(x + f(x))) when false.</summary>
    public bool NormFirst { get; init; } = true;

    /// <summary>The kind of normalization.</summary>
    public NormKind Norm { get; init; } = NormKind.LayerNorm;
    /// <summary>The normalization's epsilon, which keeps it from dividing by zero.</summary>
    public float NormEps { get; init; } = 1e-5f;
    /// <summary>Whether projections and normalizations have bias terms.</summary>
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
