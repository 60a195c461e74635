namespace Mender.Recommender.Embeddings;

/// <summary>
/// Eigen-decomposition of a small dense symmetric matrix by the cyclic Jacobi method, in double precision. Jacobi is
/// slow for large matrices but exact to rounding and simple; the matrices here are the (d + oversampling)² Gram matrices
/// of the randomized SVD, a few hundred rows at most.
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// Returns the eigenvalues in descending order and the eigenvectors as the columns of a row-major n × n matrix
    /// (<c>vectors[row * n + j]</c> is component <c>row</c> of eigenvector <c>j</c>).
    /// </summary>
    public static (double[] Values, double[] Vectors) Decompose(double[] matrix, int n)
    {
        if (matrix.Length != n * n) throw new ArgumentException("matrix must be n × n");
        var a = (double[])matrix.Clone();
        var v = new double[n * n];
        for (var i = 0; i < n; i++) v[i * n + i] = 1;

        var scale = 0.0;
        foreach (var x in a) scale += x * x;
        var tolerance = 1e-30 * Math.Max(scale, double.Epsilon);
        for (var sweep = 0; sweep < 100; sweep++)
        {
            var off = 0.0;
            for (var p = 0; p < n; p++)
                for (var q = p + 1; q < n; q++)
                    off += a[p * n + q] * a[p * n + q];
            if (off <= tolerance) break;
            for (var p = 0; p < n; p++)
                for (var q = p + 1; q < n; q++)
                    Rotate(a, v, n, p, q);
        }

        var order = Enumerable.Range(0, n).OrderByDescending(i => a[i * n + i]).ThenBy(i => i).ToArray();
        var values = new double[n];
        var vectors = new double[n * n];
        for (var j = 0; j < n; j++)
        {
            values[j] = a[order[j] * n + order[j]];
            for (var row = 0; row < n; row++) vectors[row * n + j] = v[row * n + order[j]];
        }
        return (values, vectors);
    }

    /// <summary>Zeroes a[p, q] with a plane rotation applied on both sides, and accumulates the rotation into v.</summary>
    private static void Rotate(double[] a, double[] v, int n, int p, int q)
    {
        var apq = a[p * n + q];
        if (apq == 0) return;
        var app = a[p * n + p];
        var aqq = a[q * n + q];
        var theta = (aqq - app) / (2 * apq);
        var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        var c = 1 / Math.Sqrt(t * t + 1);
        var s = t * c;
        for (var k = 0; k < n; k++)
        {
            var akp = a[k * n + p];
            var akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }
        for (var k = 0; k < n; k++)
        {
            var apk = a[p * n + k];
            var aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }
        for (var k = 0; k < n; k++)
        {
            var vkp = v[k * n + p];
            var vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }
}
