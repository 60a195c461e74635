namespace Mender.Recommender.SemanticIds;

/// <summary>Settings of residual k-means.</summary>
public sealed record ResidualKMeansOptions
{
    /// <summary>Codebooks, one per code of a SID before the collision code.</summary>
    public int Levels { get; init; } = 3;
    /// <summary>Codewords per codebook.</summary>
    public int CodebookSize { get; init; } = 256;
    /// <summary>Lloyd iterations at most per level.</summary>
    public int MaxIterations { get; init; } = 100;
    /// <summary>Seed of every level's k-means, so a fit can be repeated.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Give items that share the earlier codes distinct last codes where possible (<see cref="SemanticIds.DistinctLastLevel"/>).</summary>
    public bool DistinctLastLevel { get; init; } = true;
}

/// <summary>
/// Residual k-means (RK-means): k-means on the embeddings gives the first code; k-means on what the first centroid
/// leaves unexplained gives the second; and so on. No training loop and no hyper-parameters beyond k, which is why
/// GRID finds it as good as RQ-VAE for semantic IDs. Each level is seeded from the run seed and its level number.
/// </summary>
public static class ResidualKMeans
{
    /// <summary>Quantizes n embeddings of d dimensions level by level, each level clustering what the earlier ones left.</summary>
    public static ResidualQuantization Fit(float[] embeddings, int n, int d, ResidualKMeansOptions? options = null,
        IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        options ??= new ResidualKMeansOptions();
        if (options.Levels < 1 || options.CodebookSize < 1) throw new ArgumentException("levels and codebook size must be at least 1");
        if (embeddings.Length != (long)n * d || n < 1) throw new ArgumentException("embeddings must be a non-empty n × d matrix");
        var residual = (float[])embeddings.Clone();
        var codes = new int[n * options.Levels];
        var codebooks = new float[options.Levels][];
        var residualError = new double[options.Levels];
        for (var level = 0; level < options.Levels; level++)
        {
            var fit = KMeans.Fit(residual, n, d, options.CodebookSize, new KMeansOptions
            {
                MaxIterations = options.MaxIterations,
                Seed = unchecked(options.Seed * 31 + level),
            }, cancellation);
            codebooks[level] = fit.Centroids;
            for (var i = 0; i < n; i++) codes[i * options.Levels + level] = fit.Assignment[i];
            if (level == options.Levels - 1 && options.DistinctLastLevel)
                SemanticIds.DistinctLastLevel.Assign(codes, n, options.Levels, residual, d, fit.Centroids, cancellation);
            for (var i = 0; i < n; i++)
                System.Numerics.Tensors.TensorPrimitives.Subtract(residual.AsSpan(i * d, d),
                    fit.Centroids.AsSpan(codes[i * options.Levels + level] * d, d), residual.AsSpan(i * d, d));
            residualError[level] = MeanSquaredNorm(residual, n, d);
            progress?.Report((level + 1.0) / options.Levels);
        }
        var error = residualError[^1];
        var scale = MeanSquaredNorm(embeddings, n, d);
        return new ResidualQuantization("rkmeans", n, codes, codebooks, d, error, scale > 0 ? error / scale : 0, residualError);
    }

    internal static double MeanSquaredNorm(float[] rows, int n, int d)
    {
        var total = 0.0;
        for (var i = 0; i < n; i++)
        {
            var row = rows.AsSpan(i * d, d);
            total += System.Numerics.Tensors.TensorPrimitives.Dot(row, row);
        }
        return total / n;
    }
}
