using Mender.Llm.Gguf;
using Mender.Llm.Kernels;
using Xunit;

namespace Mender.Llm.Tests.Kernels;

/// <summary>
/// Whole matrix products against float64, on each SIMD path and with one and two threads: token counts that take the
/// row-dot path (1, 3, 8, 13) and the tiled path (16, 40, 300: full and partial 64-token tiles, more than one 256-token
/// block), row counts that leave partial 6-row panels, and column counts that leave partial 256-column blocks.
/// </summary>
[Collection(SimdPathCollection.Name)]
public sealed unsafe class MatMulTests
{
    public static TheoryData<string> Paths() => SimdPathCollection.AvailablePaths();

    [Theory]
    [MemberData(nameof(Paths))]
    public void Products_match_float64_on_every_path(string path)
    {
        SimdPathCollection.With(path, () =>
        {
            foreach (var threads in new[] { 1, 2 })
            {
                using var pool = new WorkerPool(threads);
                using var matmul = new MatMul(pool, maxTokens: 300, maxColumns: 800);
                Check(matmul, GgmlType.Q8_0, rows: 37, columns: 288, [1, 3, 8, 13, 16, 40, 300]);
                Check(matmul, GgmlType.Q4_K, rows: 50, columns: 768, [1, 5, 16, 70]);
                Check(matmul, GgmlType.F32, rows: 13, columns: 172, [1, 9, 17, 64]);
                Check(matmul, GgmlType.Q6_K, rows: 7, columns: 512, [2, 33]);
                CheckGated(matmul, GgmlType.Q4_0, GgmlType.Q8_0, rows: 45, columns: 256, [1, 6, 16, 300]);
            }
        });
    }

    private static void CheckGated(MatMul matmul, GgmlType gateType, GgmlType upType, int rows, int columns, int[] tokenCounts)
    {
        var rng = new Random(rows + columns);
        var gate = RandomMatrix(gateType, rows, columns, rng);
        var up = RandomMatrix(upType, rows, columns, rng);
        foreach (var tokens in tokenCounts)
        {
            var x = RandomWeights.Floats(tokens * columns, rng);
            var y = new float[tokens * rows];
            var scratch = new float[tokens * rows];
            fixed (byte* g = gate.Bytes)
            fixed (byte* u = up.Bytes)
            fixed (float* px = x)
            fixed (float* py = y)
            fixed (float* ps = scratch)
                matmul.MultiplyGated(px, tokens, new WeightMatrix("gate", gateType, g, rows, columns),
                    new WeightMatrix("up", upType, u, rows, columns), py, ps);
            for (var t = 0; t < tokens; t++)
                for (var r = 0; r < rows; r++)
                {
                    double a = 0, b = 0, ma = 0, mb = 0;
                    for (var k = 0; k < columns; k++)
                    {
                        a += gate.Dense[r * columns + k] * x[t * columns + k];
                        b += up.Dense[r * columns + k] * x[t * columns + k];
                        ma += Math.Abs(gate.Dense[r * columns + k] * x[t * columns + k]);
                        mb += Math.Abs(up.Dense[r * columns + k] * x[t * columns + k]);
                    }
                    var expected = a / (1 + Math.Exp(-a)) * b;
                    // Rounding of a and b (each within 1e-5 of its terms' magnitude) moves silu(a)·b by at most ~1.1·δa·|b| + |a|·δb.
                    var tolerance = 1e-5 * (1.1 * ma * Math.Abs(b) + Math.Abs(a) * mb) + 1e-9;
                    Assert.True(Math.Abs(y[t * rows + r] - expected) <= tolerance,
                        $"gated {tokens} tokens, {KernelPaths.Current}: y[{t}][{r}] = {y[t * rows + r]}, expected {expected}");
                }
        }
    }

    [Fact]
    public void Three_projections_share_one_input()
    {
        using var pool = new WorkerPool(2);
        using var matmul = new MatMul(pool, maxTokens: 40, maxColumns: 256);
        var rng = new Random(9);
        var x = RandomWeights.Floats(40 * 256, rng);
        var types = new[] { GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.F16 };
        var rows = new[] { 64, 32, 32 };
        var weights = types.Select((t, i) => RandomMatrix(t, rows[i], 256, rng)).ToArray();
        var bias = RandomWeights.Floats(64, rng);
        foreach (var tokens in new[] { 1, 4, 40 })
        {
            var outputs = rows.Select(r => new float[tokens * r]).ToArray();
            fixed (float* px = x)
            fixed (float* y0 = outputs[0])
            fixed (float* y1 = outputs[1])
            fixed (float* y2 = outputs[2])
            fixed (float* b = bias)
            fixed (byte* w0 = weights[0].Bytes)
            fixed (byte* w1 = weights[1].Bytes)
            fixed (byte* w2 = weights[2].Bytes)
            {
                var projections = new[]
                {
                    new Projection(new WeightMatrix("q", types[0], w0, rows[0], 256), y0, b),
                    new Projection(new WeightMatrix("k", types[1], w1, rows[1], 256), y1),
                    new Projection(new WeightMatrix("v", types[2], w2, rows[2], 256), y2),
                };
                matmul.Multiply(px, tokens, projections);
            }
            for (var i = 0; i < 3; i++)
                AssertClose(weights[i].Dense, x, tokens, 256, rows[i], outputs[i], i == 0 ? bias : null, $"projection {i}, {tokens} tokens");
        }
    }

    private static void Check(MatMul matmul, GgmlType type, int rows, int columns, int[] tokenCounts)
    {
        var rng = new Random(rows * 1000 + columns);
        var matrix = RandomMatrix(type, rows, columns, rng);
        var bias = RandomWeights.Floats(rows, rng);
        foreach (var tokens in tokenCounts)
        {
            var x = RandomWeights.Floats(tokens * columns, rng);
            var y = new float[tokens * rows];
            fixed (byte* w = matrix.Bytes)
            fixed (float* px = x)
            fixed (float* py = y)
            fixed (float* pb = bias)
                matmul.Multiply(px, tokens, new WeightMatrix("w", type, w, rows, columns), py, pb);
            AssertClose(matrix.Dense, x, tokens, columns, rows, y, bias, $"{type} {rows}x{columns}, {tokens} tokens, {KernelPaths.Current}");
        }
    }

    private static void AssertClose(double[] dense, float[] x, int tokens, int columns, int rows, float[] y, float[]? bias, string what)
    {
        for (var t = 0; t < tokens; t++)
            for (var r = 0; r < rows; r++)
            {
                double exact = bias?[r] ?? 0, magnitude = Math.Abs(exact);
                for (var k = 0; k < columns; k++)
                {
                    var term = dense[r * columns + k] * x[t * columns + k];
                    exact += term;
                    magnitude += Math.Abs(term);
                }
                var actual = y[t * rows + r];
                Assert.True(Math.Abs(actual - exact) <= 1e-5 * magnitude + 1e-9, $"{what}: y[{t}][{r}] = {actual}, expected {exact}");
            }
    }

    internal sealed record Matrix(byte[] Bytes, double[] Dense);

    internal static Matrix RandomMatrix(GgmlType type, int rows, int columns, Random rng)
    {
        var rowBytes = (int)GgmlTypeInfo.RowBytes(type, columns);
        var bytes = new byte[rowBytes * rows];
        var dense = new double[rows * columns];
        for (var r = 0; r < rows; r++)
        {
            var row = RandomWeights.Row(type, columns, rng);
            row.CopyTo(bytes, r * rowBytes);
            ReferenceDequantizer.Row(type, row, columns).CopyTo(dense, r * columns);
        }
        return new Matrix(bytes, dense);
    }
}
