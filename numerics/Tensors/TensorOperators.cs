using Mender.Numerics.Operations;

namespace Mender.Numerics.Tensors;

/// <summary>Operators and fluent shortcuts over <see cref="Ops"/>, so model code reads like the maths.</summary>
public sealed partial class Tensor
{
    /// <summary>Elementwise sum, broadcasting as <see cref="Ops.Add(Tensor, Tensor)"/> does.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);
    /// <summary>Elementwise difference, broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Sub(a, b);
    /// <summary>Elementwise product, broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Mul(a, b);
    /// <summary>Elementwise quotient, broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Div(a, b);
    /// <summary>Adds a scalar to every element.</summary>
    public static Tensor operator +(Tensor a, float s) => Ops.Add(a, s);
    /// <summary>Subtracts a scalar from every element.</summary>
    public static Tensor operator -(Tensor a, float s) => Ops.Add(a, -s);
    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor operator *(Tensor a, float s) => Ops.Mul(a, s);
    /// <summary>Multiplies every element by a scalar.</summary>
    public static Tensor operator *(float s, Tensor a) => Ops.Mul(a, s);
    /// <summary>Divides every element by a scalar.</summary>
    public static Tensor operator /(Tensor a, float s) => Ops.Mul(a, 1f / s);
    /// <summary>Negates every element.</summary>
    public static Tensor operator -(Tensor a) => Ops.Neg(a);

    /// <summary>The same values in a new shape with as many elements.</summary>
    public Tensor Reshape(params int[] shape) => Ops.Reshape(this, shape);
    /// <summary>Swaps two axes; by default the last two.</summary>
    public Tensor Transpose(int axis0 = -2, int axis1 = -1) => Ops.Transpose(this, axis0, axis1);
    /// <summary>Matrix product over the last two dimensions, optionally with the other operand transposed.</summary>
    public Tensor MatMul(Tensor other, bool transposeOther = false) => Ops.MatMul(this, other, false, transposeOther);
    /// <summary>The sum of all elements, as a one-element tensor.</summary>
    public Tensor Sum() => Ops.Sum(this);
    /// <summary>The sum along one axis, which is dropped unless kept as size 1.</summary>
    public Tensor Sum(int axis, bool keepDim = false) => Ops.Sum(this, axis, keepDim);
    /// <summary>The mean of all elements, as a one-element tensor.</summary>
    public Tensor Mean() => Ops.Mean(this);
    /// <summary>The mean along one axis, which is dropped unless kept as size 1.</summary>
    public Tensor Mean(int axis, bool keepDim = false) => Ops.Mean(this, axis, keepDim);
}
