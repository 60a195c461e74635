using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>Which normalization a transformer layer uses.</summary>
public enum NormKind
{
    /// <summary>Centres and scales by the standard deviation, with an optional shift.</summary>
    LayerNorm,
    /// <summary>Scales by the root mean square only; cheaper, as in Llama-style models.</summary>
    RmsNorm,
}

/// <summary>A normalization layer over the last dimension (LayerNorm or RMSNorm).</summary>
public abstract class Normalization : Module
{
    /// <summary>Normalizes x over its last dimension.</summary>
    public abstract Tensor Forward(Tensor x);

    /// <summary>A normalization of the given kind and width.</summary>
    public static Normalization Create(NormKind kind, int width, float eps) => kind switch
    {
        NormKind.RmsNorm => new RmsNorm(width, eps),
        _ => new LayerNorm(width, eps),
    };
}
