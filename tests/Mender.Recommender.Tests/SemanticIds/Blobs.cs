namespace Mender.Recommender.Tests.SemanticIds;

/// <summary>Gaussian blobs around well-separated centres, for clustering tests.</summary>
internal static class Blobs
{
    public static (float[] Points, int[] Labels, float[] Centres) Make(int clusters, int perCluster, int d, double spread, int seed)
    {
        var random = new Random(seed);
        var centres = new float[clusters * d];
        for (var i = 0; i < centres.Length; i++) centres[i] = (float)(random.NextDouble() * 20 - 10);
        var n = clusters * perCluster;
        var points = new float[n * d];
        var labels = new int[n];
        for (var i = 0; i < n; i++)
        {
            // Interleave clusters so that order in the array says nothing about membership.
            labels[i] = i % clusters;
            for (var j = 0; j < d; j++)
                points[i * d + j] = centres[labels[i] * d + j] + (float)(Normal(random) * spread);
        }
        return (points, labels, centres);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>True when the two labelings partition the points identically (up to renaming the labels).</summary>
    public static bool SamePartition(int[] a, int[] b)
    {
        var forward = new Dictionary<int, int>();
        var backward = new Dictionary<int, int>();
        for (var i = 0; i < a.Length; i++)
        {
            if (forward.TryGetValue(a[i], out var mapped) && mapped != b[i]) return false;
            if (backward.TryGetValue(b[i], out var back) && back != a[i]) return false;
            forward[a[i]] = b[i];
            backward[b[i]] = a[i];
        }
        return true;
    }
}
