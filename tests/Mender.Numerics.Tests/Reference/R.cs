namespace Mender.Numerics.Tests.Reference;

/// <summary>A float64 tensor for the naive reference implementations: values and a row-major shape.</summary>
internal sealed class R
{
    public R(double[] values, params int[] shape)
    {
        var length = 1;
        foreach (var d in shape) length *= d;
        if (length != values.Length) throw new ArgumentException($"{values.Length} values for shape [{string.Join(", ", shape)}]");
        V = values;
        Shape = shape;
    }

    public double[] V { get; }
    public int[] Shape { get; }
    public int Length => V.Length;
    public int Rank => Shape.Length;
    public int Dim(int axis) => Shape[axis < 0 ? axis + Shape.Length : axis];

    public static R Zeros(params int[] shape)
    {
        var length = 1;
        foreach (var d in shape) length *= d;
        return new R(new double[length], shape);
    }

    public static R From(float[] values, params int[] shape) => new(Array.ConvertAll(values, v => (double)v), shape);

    public R Reshape(params int[] shape) => new(V, shape);
}
