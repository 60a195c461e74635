using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
    /// <summary>Sum of all elements (a one-element tensor of shape []).</summary>
    public static Tensor Sum(Tensor x) => SumAll(x, 1f);

    /// <summary>Mean of all elements (shape []).</summary>
    public static Tensor Mean(Tensor x) => SumAll(x, 1f / Math.Max(1, x.Length));

    /// <summary>Sum over one axis; keepDim leaves it as size 1.</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDim = false) => SumAxis(x, axis, keepDim, 1f);

    /// <summary>Mean over one axis; keepDim leaves it as size 1.</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDim = false) =>
        SumAxis(x, axis, keepDim, 1f / Math.Max(1, x.Dim(axis)));

    private static Tensor SumAll(Tensor x, float scale)
    {
        var y = Tensor.Create([]);
        y.Span[0] = (float)(SumDouble(x.Span) * scale);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var gx = x.AcquireGrad(out var beta);
                var g = y.Grad!.Span[0] * scale;
                if (beta == 0) gx.Span.Fill(g);
                else TensorPrimitives.Add(gx.Span, g, gx.Span);
            });
        return y;
    }

    /// <summary>A float sum accumulated in double, in a fixed order, so that losses do not drift with length.</summary>
    internal static double SumDouble(ReadOnlySpan<float> values)
    {
        double total = 0;
        const int block = 1024;
        for (var i = 0; i < values.Length; i += block)
            total += TensorPrimitives.Sum(values.Slice(i, Math.Min(block, values.Length - i)));
        return total;
    }

    private static Tensor SumAxis(Tensor x, int axis, bool keepDim, float scale)
    {
        var a = ShapeOps.Axis(axis, x.Rank);
        var shape = x.ShapeArray;
        var outer = ShapeOps.Product(shape, 0, a);
        var n = shape[a];
        var inner = ShapeOps.Product(shape, a + 1, shape.Length);
        var outShape = new int[keepDim ? shape.Length : shape.Length - 1];
        for (int i = 0, o = 0; i < shape.Length; i++)
        {
            if (i != a) outShape[o++] = shape[i];
            else if (keepDim) outShape[o++] = 1;
        }
        var y = Tensor.Create(outShape);
        var xs = x.Span;
        var ys = y.Span;
        for (var o = 0; o < outer; o++)
        {
            var dst = ys.Slice(o * inner, inner);
            dst.Clear();
            for (var j = 0; j < n; j++) TensorPrimitives.Add(dst, xs.Slice((o * n + j) * inner, inner), dst);
            if (scale != 1) TensorPrimitives.Multiply(dst, scale, dst);
        }
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var gx = x.AcquireGrad(out var beta);
                var gs = gx.Span;
                var g = y.Grad!.Span;
                for (var o = 0; o < outer; o++)
                {
                    var src = g.Slice(o * inner, inner);
                    for (var j = 0; j < n; j++)
                        Accumulate.Scaled(gs.Slice((o * n + j) * inner, inner), src, scale, beta);
                }
            });
        return y;
    }
}
