using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>Which normalization a transformer layer uses.</summary>
public enum NormKind
{
    LayerNorm,
    RmsNorm,
}

/// <summary>A normalization layer over the last dimension (LayerNorm or RMSNorm).</summary>
public abstract class Normalization : Module
{
    public abstract Tensor Forward(Tensor x);

    public static Normalization Create(NormKind kind, int width, float eps) => kind switch
    {
        NormKind.RmsNorm => new RmsNorm(width, eps),
        _ => new LayerNorm(width, eps),
    };
}
