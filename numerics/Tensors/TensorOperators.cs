using Mender.Numerics.Operations;

namespace Mender.Numerics.Tensors;

/// <summary>Operators and fluent shortcuts over <see cref="Ops"/>, so model code reads like the maths.</summary>
public sealed partial class Tensor
{
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Sub(a, b);
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Mul(a, b);
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Div(a, b);
    public static Tensor operator +(Tensor a, float s) => Ops.Add(a, s);
    public static Tensor operator -(Tensor a, float s) => Ops.Add(a, -s);
    public static Tensor operator *(Tensor a, float s) => Ops.Mul(a, s);
    public static Tensor operator *(float s, Tensor a) => Ops.Mul(a, s);
    public static Tensor operator /(Tensor a, float s) => Ops.Mul(a, 1f / s);
    public static Tensor operator -(Tensor a) => Ops.Neg(a);

    public Tensor Reshape(params int[] shape) => Ops.Reshape(this, shape);
    public Tensor Transpose(int axis0 = -2, int axis1 = -1) => Ops.Transpose(this, axis0, axis1);
    public Tensor MatMul(Tensor other, bool transposeOther = false) => Ops.MatMul(this, other, false, transposeOther);
    public Tensor Sum() => Ops.Sum(this);
    public Tensor Sum(int axis, bool keepDim = false) => Ops.Sum(this, axis, keepDim);
    public Tensor Mean() => Ops.Mean(this);
    public Tensor Mean(int axis, bool keepDim = false) => Ops.Mean(this, axis, keepDim);
}
