using Mender.Numerics.Kernels;

namespace Mender.Recommender.Embeddings;

/// <summary>
/// Truncated SVD of a sparse matrix X (n × V) by the randomized range finder of Halko, Martinsson and Tropp (2011):
/// sample the range with a seeded Gaussian test matrix, Y = X Ω; sharpen it with power iterations
/// Y = X (Xᵀ Q), re-orthonormalizing after every product so that rounding does not collapse the small directions;
/// then take the exact SVD of the small projected matrix B = Qᵀ X through the eigen-decomposition of B Bᵀ.
/// Every parallel loop writes disjoint outputs, so the result is the same for a given seed whatever the thread count.
/// </summary>
internal static class RandomizedSvd
{
    /// <summary>
    /// Returns the top <paramref name="rank"/> right singular vectors as a row-major V × rank matrix (feature-major, so a
    /// sparse row times it is a sum of rows), with the singular values. Directions beyond the rank of X come out as zeros.
    /// </summary>
    public static (float[] Components, float[] SingularValues) Compute(
        SparseMatrix x, int rank, int oversampling, int powerIterations, int seed, CancellationToken cancellation)
    {
        var k = rank + oversampling;
        var xt = x.Transpose();
        var q = x.MultiplyDense(Gaussian(x.Columns, k, seed), k);
        Orthonormalize(q, x.Rows, k);
        for (var iteration = 0; iteration < powerIterations; iteration++)
        {
            cancellation.ThrowIfCancellationRequested();
            var z = xt.MultiplyDense(q, k);
            Orthonormalize(z, x.Columns, k);
            q = x.MultiplyDense(z, k);
            Orthonormalize(q, x.Rows, k);
        }
        cancellation.ThrowIfCancellationRequested();

        // Bᵀ = Xᵀ Q (V × k). B Bᵀ = W Λ Wᵀ gives B's left singular vectors W and σ² = λ; its right ones are Bᵀ W / σ.
        var bt = xt.MultiplyDense(q, k);
        var (lambda, w) = SymmetricEigen.Decompose(Gram(bt, x.Columns, k), k);
        var singular = new float[rank];
        var projection = new float[k * rank];
        var floor = 1e-6 * Math.Sqrt(Math.Max(lambda[0], 0));
        for (var j = 0; j < rank && j < k; j++)
        {
            var sigma = Math.Sqrt(Math.Max(lambda[j], 0));
            if (sigma <= floor || sigma == 0) continue;
            singular[j] = (float)sigma;
            for (var a = 0; a < k; a++) projection[a * rank + j] = (float)(w[a * k + j] / sigma);
        }
        var components = DenseTimesSmall(bt, x.Columns, k, projection, rank);
        FixSigns(components, x.Columns, rank);
        return (components, singular);
    }

    private static float[] Gaussian(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var result = new float[(long)rows * columns];
        for (var i = 0; i < result.Length; i += 2)
        {
            // Box-Muller: two independent standard normals from two uniforms.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var radius = Math.Sqrt(-2.0 * Math.Log(u1));
            result[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < result.Length) result[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
        }
        return result;
    }

    /// <summary>
    /// Makes the columns of the row-major rows × cols matrix orthonormal in place, spanning the same space:
    /// M ← M W Λ^(-1/2) from the eigen-decomposition MᵀM = W Λ Wᵀ, done twice because one pass in float leaves
    /// errors proportional to the condition number. Directions with negligible energy become zero columns.
    /// </summary>
    internal static void Orthonormalize(float[] m, int rows, int cols)
    {
        for (var pass = 0; pass < 2; pass++)
        {
            var (lambda, w) = SymmetricEigen.Decompose(Gram(m, rows, cols), cols);
            var floor = 1e-10 * Math.Max(lambda[0], 0);
            var map = new float[cols * cols];
            for (var j = 0; j < cols; j++)
            {
                if (lambda[j] <= floor || lambda[j] <= 0) continue;
                var inverseRoot = 1 / Math.Sqrt(lambda[j]);
                for (var a = 0; a < cols; a++) map[a * cols + j] = (float)(w[a * cols + j] * inverseRoot);
            }
            var result = DenseTimesSmall(m, rows, cols, map, cols);
            Array.Copy(result, m, result.Length);
        }
    }

    /// <summary>MᵀM for a row-major rows × cols matrix (one GEMM), widened to double for the eigen-solver.</summary>
    private static double[] Gram(float[] m, int rows, int cols)
    {
        var gram = new float[cols * cols];
        Gemm.Run(true, false, cols, cols, rows, 1f, m, cols, m, cols, 0f, gram, cols);
        var result = new double[cols * cols];
        for (var a = 0; a < cols; a++)
            for (var b = 0; b < cols; b++)
                result[a * cols + b] = 0.5 * ((double)gram[a * cols + b] + gram[b * cols + a]);
        return result;
    }

    /// <summary>Row-major (rows × inner) times (inner × cols).</summary>
    private static float[] DenseTimesSmall(float[] m, int rows, int inner, float[] small, int cols)
    {
        var result = new float[(long)rows * cols];
        Gemm.Run(false, false, rows, cols, inner, 1f, m, inner, small, cols, 0f, result, cols);
        return result;
    }

    /// <summary>Singular vectors are defined up to sign; make each one's largest-magnitude entry positive so the output is canonical.</summary>
    private static void FixSigns(float[] components, int rows, int rank)
    {
        for (var j = 0; j < rank; j++)
        {
            var best = 0f;
            for (var r = 0; r < rows; r++)
            {
                var value = components[(long)r * rank + j];
                if (Math.Abs(value) > Math.Abs(best)) best = value;
            }
            if (best >= 0) continue;
            for (var r = 0; r < rows; r++) components[(long)r * rank + j] = -components[(long)r * rank + j];
        }
    }
}
