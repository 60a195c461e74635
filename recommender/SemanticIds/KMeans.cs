namespace Mender.Recommender.SemanticIds;

/// <summary>Settings of one k-means run.</summary>
public sealed record KMeansOptions
{
    /// <summary>Lloyd iterations at most.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Lloyd iterations stop early once fewer than this share of points change cluster.</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>
    /// Candidates tried per k-means++ step, keeping the one that lowers the potential most ("greedy k-means++");
    /// 0 means 2 + ⌊ln k⌋, as in scikit-learn.
    /// </summary>
    public int SeedingTrials { get; init; }

    /// <summary>Seed of the seeding and of reseeding empty clusters, so a fit can be repeated.</summary>
    public int Seed { get; init; } = 42;
}

/// <summary>The fitted centroids (row-major k × d), each point's cluster, and the sum of squared distances.</summary>
public sealed record KMeansResult(float[] Centroids, int[] Assignment, double Inertia, int Iterations, int Reseeded);

/// <summary>
/// k-means with k-means++ seeding and Lloyd iterations. Everything random comes from one seeded generator consumed in a
/// fixed order, parallel work writes disjoint outputs and sums run sequentially, so a seed fixes the result.
/// A cluster left empty by an iteration is re-seeded with the point farthest from its own centroid.
/// </summary>
public static class KMeans
{
    /// <summary>Clusters n points of d dimensions (row-major) into k clusters.</summary>
    public static KMeansResult Fit(float[] points, int n, int d, int k, KMeansOptions? options = null,
        CancellationToken cancellation = default)
    {
        options ??= new KMeansOptions();
        if (n < 1 || d < 1 || points.Length != (long)n * d) throw new ArgumentException("points must be a non-empty n × d matrix");
        if (k < 1) throw new ArgumentException("k must be at least 1");
        var random = new Random(options.Seed);
        var centroids = SeedPlusPlus(points, n, d, k, options.SeedingTrials, random, cancellation);

        var assignment = new int[n];
        var previous = new int[n];
        var distance = new float[n];
        var sums = new double[k * d];
        var counts = new int[k];
        var iterations = 0;
        var reseeded = 0;
        Array.Fill(previous, -1);
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            NearestCentroid.Assign(points, n, d, centroids, k, assignment, distance, cancellation);
            var changed = 0;
            for (var i = 0; i < n; i++)
                if (assignment[i] != previous[i]) changed++;
            if (iterations >= options.MaxIterations || (iterations > 0 && changed <= options.Tolerance * n)) break;
            iterations++;
            (previous, assignment) = (assignment, previous);

            Array.Clear(sums);
            Array.Clear(counts);
            for (var i = 0; i < n; i++)
            {
                var c = previous[i];
                counts[c]++;
                var row = points.AsSpan(i * d, d);
                var sum = sums.AsSpan(c * d, d);
                for (var j = 0; j < d; j++) sum[j] += row[j];
            }
            for (var c = 0; c < k; c++)
            {
                if (counts[c] == 0) continue;
                for (var j = 0; j < d; j++) centroids[c * d + j] = (float)(sums[c * d + j] / counts[c]);
            }
            reseeded += ReseedEmpty(points, d, centroids, counts, distance);
        }

        var inertia = 0.0;
        foreach (var value in distance) inertia += value;
        return new KMeansResult(centroids, assignment, inertia, iterations, reseeded);
    }

    /// <summary>
    /// k-means++ (Arthur and Vassilvitskii 2007): the first centroid uniformly, each next one with probability
    /// proportional to the squared distance to the nearest centroid so far, best of <c>trials</c> candidates.
    /// </summary>
    internal static float[] SeedPlusPlus(float[] points, int n, int d, int k, int trials, Random random,
        CancellationToken cancellation)
    {
        if (trials <= 0) trials = 2 + (int)Math.Log(k);
        var centroids = new float[k * d];
        var chosen = random.Next(n);
        points.AsSpan(chosen * d, d).CopyTo(centroids);
        var nearest = new float[n];
        Distances(points, n, d, points.AsSpan(chosen * d, d).ToArray(), nearest);

        var candidate = new float[n];
        var bestCandidate = new float[n];
        for (var c = 1; c < k; c++)
        {
            cancellation.ThrowIfCancellationRequested();
            var total = 0.0;
            foreach (var value in nearest) total += value;
            var best = -1;
            var bestPotential = double.PositiveInfinity;
            for (var t = 0; t < trials; t++)
            {
                var index = total > 0 ? Sample(nearest, total, random) : random.Next(n);
                var centre = points.AsSpan(index * d, d).ToArray();
                Distances(points, n, d, centre, candidate);
                var potential = 0.0;
                for (var i = 0; i < n; i++)
                {
                    candidate[i] = Math.Min(candidate[i], nearest[i]);
                    potential += candidate[i];
                }
                if (potential < bestPotential)
                {
                    bestPotential = potential;
                    best = index;
                    (bestCandidate, candidate) = (candidate, bestCandidate);
                }
            }
            points.AsSpan(best * d, d).CopyTo(centroids.AsSpan(c * d, d));
            (nearest, bestCandidate) = (bestCandidate, nearest);
        }
        return centroids;
    }

    private static int Sample(float[] weights, double total, Random random)
    {
        var target = random.NextDouble() * total;
        var running = 0.0;
        var last = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0) continue;
            running += weights[i];
            last = i;
            if (running > target) return i;
        }
        return last;
    }

    private static void Distances(float[] points, int n, int d, float[] centre, float[] result) =>
        Parallel.For(0, (n + 255) / 256, block =>
        {
            var end = Math.Min(n, (block + 1) * 256);
            for (var i = block * 256; i < end; i++)
            {
                var root = System.Numerics.Tensors.TensorPrimitives.Distance(points.AsSpan(i * d, d), centre);
                result[i] = root * root;
            }
        });

    /// <summary>Moves each empty cluster onto the point that is farthest from its centroid, taking each point at most once.</summary>
    private static int ReseedEmpty(float[] points, int d, float[] centroids, int[] counts, float[] distance)
    {
        var empty = 0;
        foreach (var count in counts)
            if (count == 0) empty++;
        if (empty == 0) return 0;
        var farthest = Enumerable.Range(0, distance.Length)
            .OrderByDescending(i => distance[i]).ThenBy(i => i)
            .Take(empty).ToArray();
        var next = 0;
        for (var c = 0; c < counts.Length; c++)
        {
            if (counts[c] != 0 || next >= farthest.Length || distance[farthest[next]] <= 0) continue;
            points.AsSpan(farthest[next] * d, d).CopyTo(centroids.AsSpan(c * d, d));
            distance[farthest[next]] = 0;
            next++;
        }
        return next;
    }
}
