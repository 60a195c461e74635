using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Operations;

/// <summary>
/// The differentiable operations (the functional API). Every operation takes and returns <see cref="Tensor"/>s,
/// records its backward step on the current <see cref="Tape"/> when an input requires a gradient, and leaves its
/// inputs untouched.
/// </summary>
public static partial class Ops
{
    private enum BinaryKind { Add, Sub, Mul, Div }

    /// <summary>a + b with broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b) => Binary(a, b, BinaryKind.Add);

    /// <summary>a − b with broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b) => Binary(a, b, BinaryKind.Sub);

    /// <summary>a · b elementwise with broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b) => Binary(a, b, BinaryKind.Mul);

    /// <summary>a / b elementwise with broadcasting.</summary>
    public static Tensor Div(Tensor a, Tensor b) => Binary(a, b, BinaryKind.Div);

    /// <summary>x + s.</summary>
    public static Tensor Add(Tensor x, float s) => Affine(x, 1f, s);

    /// <summary>x · s.</summary>
    public static Tensor Mul(Tensor x, float s) => Affine(x, s, 0f);

    /// <summary>−x.</summary>
    public static Tensor Neg(Tensor x) => Affine(x, -1f, 0f);

    /// <summary>scale·x + shift.</summary>
    public static Tensor Affine(Tensor x, float scale, float shift)
    {
        var y = Tensor.Create(x.ShapeArray);
        var ys = y.Span;
        TensorPrimitives.Multiply(x.Span, scale, ys);
        if (shift != 0) TensorPrimitives.Add(ys, shift, ys);
        if (Tape.ShouldRecord(x))
            Tape.Record(y, () =>
            {
                var gx = x.AcquireGrad(out var beta);
                Accumulate.Scaled(gx.Span, y.Grad!.Span, scale, beta);
            });
        return y;
    }

    private static Tensor Binary(Tensor a, Tensor b, BinaryKind kind)
    {
        var shape = ShapeOps.Same(a.Shape, b.Shape) ? a.ShapeArray : Broadcasting.Shape(a.Shape, b.Shape);
        var y = Tensor.Create(shape);
        Forward(kind, a, b, y);
        if (Tape.ShouldRecord(a, b))
            Tape.Record(y, () => BinaryBackward(kind, a, b, y));
        return y;
    }

    private static void Forward(BinaryKind kind, Tensor a, Tensor b, Tensor y)
    {
        if (a.Length == y.Length && ShapeOps.Same(a.Shape, y.Shape) && ShapeOps.Same(b.Shape, y.Shape))
        {
            Elementwise(kind, a.Span, b.Span, y.Span);
            return;
        }
        if (b.Length == 1 && ShapeOps.Same(a.Shape, y.Shape))
        {
            var s = b.Span[0];
            var ys = y.Span;
            switch (kind)
            {
                case BinaryKind.Add: TensorPrimitives.Add(a.Span, s, ys); break;
                case BinaryKind.Sub: TensorPrimitives.Subtract(a.Span, s, ys); break;
                case BinaryKind.Mul: TensorPrimitives.Multiply(a.Span, s, ys); break;
                default: TensorPrimitives.Divide(a.Span, s, ys); break;
            }
            return;
        }
        if (ShapeOps.Same(a.Shape, y.Shape) && Broadcasting.IsTrailing(b.Shape, y.Shape))
        {
            var n = b.Length;
            var bs = b.Span;
            var (aData, aOff, yData, yOff) = (a.Data, a.Offset, y.Data, y.Offset);
            var bArray = bs.ToArray();
            ParallelRange.ForRows(y.Length / Math.Max(1, n), n, (r0, r1) =>
            {
                for (var r = r0; r < r1; r++)
                    Elementwise(kind, aData.AsSpan(aOff + r * n, n), bArray, yData.AsSpan(yOff + r * n, n));
            });
            return;
        }
        if (ShapeOps.Same(b.Shape, y.Shape) && Broadcasting.IsTrailing(a.Shape, y.Shape))
        {
            var n = a.Length;
            var aArray = a.ToArray();
            var (bData, bOff, yData, yOff) = (b.Data, b.Offset, y.Data, y.Offset);
            ParallelRange.ForRows(y.Length / Math.Max(1, n), n, (r0, r1) =>
            {
                for (var r = r0; r < r1; r++)
                    Elementwise(kind, aArray, bData.AsSpan(bOff + r * n, n), yData.AsSpan(yOff + r * n, n));
            });
            return;
        }
        var sa = Broadcasting.Strides(a.Shape, y.Shape);
        var sb = Broadcasting.Strides(b.Shape, y.Shape);
        var av = a.ToArray();
        var bv = b.ToArray();
        var yv = new float[y.Length];
        Broadcasting.Walk(y.ShapeArray, sa, sb, (i, oa, ob) => yv[i] = Apply(kind, av[oa], bv[ob]));
        yv.CopyTo(y.Span);
    }

    private static float Apply(BinaryKind kind, float x, float z) => kind switch
    {
        BinaryKind.Add => x + z,
        BinaryKind.Sub => x - z,
        BinaryKind.Mul => x * z,
        _ => x / z,
    };

    private static void Elementwise(BinaryKind kind, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (kind)
        {
            case BinaryKind.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryKind.Sub: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryKind.Mul: TensorPrimitives.Multiply(a, b, y); break;
            default: TensorPrimitives.Divide(a, b, y); break;
        }
    }

    private static void BinaryBackward(BinaryKind kind, Tensor a, Tensor b, Tensor y)
    {
        var g = y.Grad!;
        var shape = y.ShapeArray;
        if (a.RequiresGrad)
        {
            var ga = a.AcquireGrad(out var beta);
            switch (kind)
            {
                case BinaryKind.Add or BinaryKind.Sub:
                    Broadcasting.ReduceInto(ga.Span, a.Shape, g.Span, shape, beta);
                    break;
                case BinaryKind.Mul:
                    WithContribution(g, b, BinaryKind.Mul, c => Broadcasting.ReduceInto(ga.Span, a.Shape, c, shape, beta));
                    break;
                default:
                    WithContribution(g, b, BinaryKind.Div, c => Broadcasting.ReduceInto(ga.Span, a.Shape, c, shape, beta));
                    break;
            }
        }
        if (b.RequiresGrad)
        {
            var gb = b.AcquireGrad(out var beta);
            switch (kind)
            {
                case BinaryKind.Add:
                    Broadcasting.ReduceInto(gb.Span, b.Shape, g.Span, shape, beta);
                    break;
                case BinaryKind.Sub:
                    WithScratch(g.Length, c =>
                    {
                        TensorPrimitives.Negate(g.Span, c);
                        Broadcasting.ReduceInto(gb.Span, b.Shape, c, shape, beta);
                    });
                    break;
                case BinaryKind.Mul:
                    WithContribution(g, a, BinaryKind.Mul, c => Broadcasting.ReduceInto(gb.Span, b.Shape, c, shape, beta));
                    break;
                default:
                    // d(a/b)/db = −(a/b)/b = −y/b.
                    WithContribution(y, b, BinaryKind.Div, c =>
                    {
                        TensorPrimitives.Multiply(c, g.Span, c);
                        TensorPrimitives.Negate(c, c);
                        Broadcasting.ReduceInto(gb.Span, b.Shape, c, shape, beta);
                    });
                    break;
            }
        }
    }

    /// <summary>Computes full ∘ other (other broadcast to full's shape) into a pooled scratch and hands it to use.</summary>
    private static void WithContribution(Tensor full, Tensor other, BinaryKind kind, SpanAction use)
    {
        var scratch = new Tensor(TensorStorage.Rent(full.Length), 0, full.ShapeArray);
        try
        {
            Forward(kind, full, other, scratch);
            use(scratch.Span);
        }
        finally
        {
            scratch.Release();
        }
    }

    private static void WithScratch(int length, SpanAction use)
    {
        var buffer = BufferPool.Rent(length);
        try
        {
            use(buffer);
        }
        finally
        {
            BufferPool.Return(buffer);
        }
    }

    private delegate void SpanAction(Span<float> span);
}
