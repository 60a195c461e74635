using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Mender.Numerics.Kernels;

/// <summary>
/// Writes or adds a gradient contribution according to the beta a gradient buffer came with. Long spans are
/// split across threads (each element is independent, so the split does not change the result).
/// </summary>
internal static unsafe class Accumulate
{
    /// <summary>dst = src when beta is 0, dst += src otherwise.</summary>
    public static void Into(Span<float> dst, ReadOnlySpan<float> src, float beta)
    {
        if (dst.Length > ParallelRange.Grain)
        {
            fixed (float* d = dst, s = src)
            {
                var (pd, ps) = ((nint)d, (nint)s);
                ParallelRange.For(dst.Length, (start, end) =>
                    Into(new Span<float>((float*)pd + start, end - start), new ReadOnlySpan<float>((float*)ps + start, end - start), beta));
            }
            return;
        }
        if (beta == 0) src.CopyTo(dst);
        else TensorPrimitives.Add(dst, src, dst);
    }

    /// <summary>dst = s·src when beta is 0, dst += s·src otherwise.</summary>
    public static void Scaled(Span<float> dst, ReadOnlySpan<float> src, float s, float beta)
    {
        if (dst.Length > ParallelRange.Grain)
        {
            fixed (float* d = dst, p = src)
            {
                var (pd, ps) = ((nint)d, (nint)p);
                ParallelRange.For(dst.Length, (start, end) =>
                    Scaled(new Span<float>((float*)pd + start, end - start), new ReadOnlySpan<float>((float*)ps + start, end - start), s, beta));
            }
            return;
        }
        if (beta == 0) TensorPrimitives.Multiply(src, s, dst);
        else TensorPrimitives.MultiplyAdd(src, s, dst, dst);
    }

    /// <summary>dst = a·b when beta is 0, dst += a·b otherwise.</summary>
    public static void Product(Span<float> dst, ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta)
    {
        if (beta == 0) TensorPrimitives.Multiply(a, b, dst);
        else TensorPrimitives.MultiplyAdd(a, b, dst, dst);
    }
}
