using System.Numerics.Tensors;

namespace Mender.Llm.Inference;

/// <summary>RMSNorm: y = x / sqrt(mean(x²) + eps) · w, per row.</summary>
internal static unsafe class RmsNorm
{
    public static void Apply(float* x, float* weight, float* y, int n, float eps)
    {
        var source = new ReadOnlySpan<float>(x, n);
        var destination = new Span<float>(y, n);
        var scale = (float)(1.0 / Math.Sqrt(SumOfSquares(x, n) / n + eps));
        TensorPrimitives.Multiply(source, scale, destination);
        TensorPrimitives.Multiply(destination, new ReadOnlySpan<float>(weight, n), destination);
    }

    /// <summary><paramref name="rows"/> consecutive rows of <paramref name="n"/> elements.</summary>
    public static void Rows(float* x, float* weight, float* y, int rows, int n, float eps)
    {
        for (var r = 0; r < rows; r++)
            Apply(x + (long)r * n, weight, y + (long)r * n, n, eps);
    }

    // In double, as llama.cpp accumulates it.
    private static double SumOfSquares(float* x, int n)
    {
        double sum = 0;
        var i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var s = (double)x[i] * x[i] + (double)x[i + 1] * x[i + 1] + (double)x[i + 2] * x[i + 2] + (double)x[i + 3] * x[i + 3]
                + (double)x[i + 4] * x[i + 4] + (double)x[i + 5] * x[i + 5] + (double)x[i + 6] * x[i + 6] + (double)x[i + 7] * x[i + 7];
            sum += s;
        }
        for (; i < n; i++) sum += (double)x[i] * x[i];
        return sum;
    }
}
