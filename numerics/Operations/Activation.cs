namespace Mender.Numerics.Operations;

/// <summary>A pointwise nonlinearity, applied on its own or fused into <see cref="Ops.Linear(Tensors.Tensor, Tensors.Tensor, Tensors.Tensor?, Activation, float, Rng?)"/>.</summary>
public enum Activation
{
    /// <summary>No nonlinearity: the identity.</summary>
    None,
    /// <summary>max(0, x).</summary>
    Relu,
    /// <summary>Exact (erf) GELU.</summary>
    Gelu,
    /// <summary>x·sigmoid(x), also known as swish.</summary>
    Silu,
}
