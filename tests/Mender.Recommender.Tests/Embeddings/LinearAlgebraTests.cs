using Mender.Recommender.Embeddings;
using Xunit;

namespace Mender.Recommender.Tests.Embeddings;

public class LinearAlgebraTests
{
    [Fact]
    public void JacobiDecomposesASymmetricMatrix()
    {
        var random = new Random(3);
        const int n = 7;
        var m = new double[n * n];
        for (var i = 0; i < n; i++)
            for (var j = i; j < n; j++)
                m[i * n + j] = m[j * n + i] = random.NextDouble() * 2 - 1;
        var (values, vectors) = SymmetricEigen.Decompose(m, n);
        for (var j = 0; j < n; j++)
        {
            if (j > 0) Assert.True(values[j - 1] >= values[j]);
            for (var row = 0; row < n; row++)
            {
                var av = 0.0;
                for (var k = 0; k < n; k++) av += m[row * n + k] * vectors[k * n + j];
                Assert.Equal(values[j] * vectors[row * n + j], av, 1e-10);
            }
            for (var other = 0; other < n; other++)
            {
                var dot = 0.0;
                for (var row = 0; row < n; row++) dot += vectors[row * n + j] * vectors[row * n + other];
                Assert.Equal(j == other ? 1.0 : 0.0, dot, 1e-10);
            }
        }
    }

    [Fact]
    public void OrthonormalizeGivesOrthonormalColumnsSpanningTheInput()
    {
        var random = new Random(5);
        const int rows = 50, cols = 6;
        var m = new float[rows * cols];
        for (var i = 0; i < m.Length; i++) m[i] = (float)(random.NextDouble() - 0.5);
        var original = (float[])m.Clone();
        RandomizedSvd.Orthonormalize(m, rows, cols);
        for (var a = 0; a < cols; a++)
            for (var b = 0; b < cols; b++)
            {
                var dot = 0.0;
                for (var r = 0; r < rows; r++) dot += m[r * cols + a] * m[r * cols + b];
                Assert.Equal(a == b ? 1.0 : 0.0, dot, 1e-5);
            }
        // Every original column is reproduced by its projection onto the new basis.
        for (var c = 0; c < cols; c++)
        {
            var residual = new double[rows];
            for (var r = 0; r < rows; r++) residual[r] = original[r * cols + c];
            for (var a = 0; a < cols; a++)
            {
                var dot = 0.0;
                for (var r = 0; r < rows; r++) dot += original[r * cols + c] * m[r * cols + a];
                for (var r = 0; r < rows; r++) residual[r] -= dot * m[r * cols + a];
            }
            Assert.True(residual.Sum(x => x * x) < 1e-8);
        }
    }

    [Fact]
    public void RandomizedSvdMatchesTheExactSingularValuesOfALowRankMatrix()
    {
        // A sparse 40 × 300 matrix of rank 5 plus tiny noise: its top singular values are recovered almost exactly.
        var random = new Random(11);
        const int n = 40, v = 300, rank = 5;
        var left = new double[n * rank];
        var right = new double[rank * v];
        for (var i = 0; i < left.Length; i++) left[i] = random.NextDouble() - 0.5;
        for (var i = 0; i < right.Length; i++) right[i] = random.NextDouble() < 0.2 ? random.NextDouble() : 0;
        var rows = new List<(int[] Columns, float[] Values)>();
        var dense = new double[n * v];
        for (var r = 0; r < n; r++)
        {
            var cols = new List<int>();
            var vals = new List<float>();
            for (var c = 0; c < v; c++)
            {
                var x = 0.0;
                for (var k = 0; k < rank; k++) x += left[r * rank + k] * right[k * v + c];
                if (x == 0) continue;
                cols.Add(c);
                vals.Add((float)x);
                dense[r * v + c] = (float)x;
            }
            rows.Add((cols.ToArray(), vals.ToArray()));
        }
        var matrix = SparseMatrix.FromRows(v, rows);

        var gram = new double[n * n];
        for (var a = 0; a < n; a++)
            for (var b = 0; b < n; b++)
                for (var c = 0; c < v; c++)
                    gram[a * n + b] += dense[a * v + c] * dense[b * v + c];
        var (exact, _) = SymmetricEigen.Decompose(gram, n);

        var (components, singular) = RandomizedSvd.Compute(matrix, 8, 4, 2, seed: 1, CancellationToken.None);
        for (var j = 0; j < rank; j++)
            Assert.Equal(Math.Sqrt(exact[j]), singular[j], Math.Sqrt(exact[0]) * 1e-4);
        for (var j = rank; j < 8; j++)
            Assert.True(singular[j] < Math.Sqrt(exact[0]) * 1e-3);
        // The right singular vectors are unit length.
        for (var j = 0; j < rank; j++)
        {
            var norm = 0.0;
            for (var c = 0; c < v; c++) norm += components[c * 8 + j] * (double)components[c * 8 + j];
            Assert.Equal(1.0, norm, 1e-4);
        }
    }

    [Fact]
    public void SparseMatrixTransposeAndProductAgreeWithDense()
    {
        var matrix = SparseMatrix.FromRows(4, [([0, 2], [1f, 2f]), ([], []), ([1, 2, 3], [3f, -1f, 4f])]);
        var t = matrix.Transpose();
        Assert.Equal(4, t.Rows);
        Assert.Equal([0, 2], t.RowColumns(2).ToArray());
        Assert.Equal([2f, -1f], t.RowValues(2).ToArray());
        var product = matrix.MultiplyDense([1, 0, 0, 1, 1, 1, 2, 0], 2);
        Assert.Equal([3f, 2f, 0f, 0f, 7f, 2f], product);
    }
}
