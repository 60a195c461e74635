using Mender.Recommender.SemanticIds;
using Xunit;

namespace Mender.Recommender.Tests.SemanticIds;

public class KMeansTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(7)]
    public void FindsWellSeparatedClusters(int d)
    {
        var (points, labels, _) = Blobs.Make(clusters: 8, perCluster: 40, d, spread: 0.3, seed: 1);
        var fit = KMeans.Fit(points, labels.Length, d, 8, new KMeansOptions { Seed = 3 });
        Assert.True(Blobs.SamePartition(labels, fit.Assignment));
    }

    [Fact]
    public void PlusPlusSeedingPicksOnePointPerBlob()
    {
        // With tight, far-apart blobs, D² sampling almost surely lands every new centre in an uncovered blob.
        var (points, labels, _) = Blobs.Make(clusters: 6, perCluster: 30, d: 8, spread: 0.01, seed: 2);
        var centres = KMeans.SeedPlusPlus(points, labels.Length, 8, 6, trials: 1, new Random(4), CancellationToken.None);
        var covered = new HashSet<int>();
        for (var c = 0; c < 6; c++)
        {
            var centre = centres.AsSpan(c * 8, 8).ToArray();
            var index = Enumerable.Range(0, labels.Length).Single(i => points.AsSpan(i * 8, 8).SequenceEqual(centre));
            covered.Add(labels[index]);
        }
        Assert.Equal(6, covered.Count);
    }

    [Fact]
    public void SameSeedSameResultOtherSeedOtherStart()
    {
        var (points, labels, _) = Blobs.Make(clusters: 5, perCluster: 50, d: 16, spread: 3, seed: 3);
        var a = KMeans.Fit(points, labels.Length, 16, 12, new KMeansOptions { Seed = 9 });
        var b = KMeans.Fit(points, labels.Length, 16, 12, new KMeansOptions { Seed = 9 });
        var c = KMeans.Fit(points, labels.Length, 16, 12, new KMeansOptions { Seed = 10 });
        Assert.Equal(a.Centroids, b.Centroids);
        Assert.Equal(a.Assignment, b.Assignment);
        Assert.NotEqual(a.Centroids, c.Centroids);
    }

    [Fact]
    public void InertiaIsTheSumOfSquaredDistancesToAssignedCentroids()
    {
        var (points, labels, _) = Blobs.Make(clusters: 3, perCluster: 30, d: 16, spread: 2, seed: 4);
        var fit = KMeans.Fit(points, labels.Length, 16, 5);
        var inertia = 0.0;
        for (var i = 0; i < labels.Length; i++)
        {
            var distances = new double[5];
            for (var c = 0; c < 5; c++)
                for (var j = 0; j < 16; j++)
                    distances[c] += Math.Pow(points[i * 16 + j] - (double)fit.Centroids[c * 16 + j], 2);
            Assert.Equal(distances.Min(), distances[fit.Assignment[i]], 1e-3);
            inertia += distances[fit.Assignment[i]];
        }
        Assert.Equal(inertia, fit.Inertia, inertia * 1e-4);
    }

    [Fact]
    public void MoreClustersThanDistinctPointsStillAssignsEveryPoint()
    {
        var points = new float[] { 0, 0, 1, 1, 0, 0, 1, 1 };
        var fit = KMeans.Fit(points, 4, 2, 3);
        Assert.Equal(fit.Assignment[0], fit.Assignment[2]);
        Assert.Equal(fit.Assignment[1], fit.Assignment[3]);
        Assert.NotEqual(fit.Assignment[0], fit.Assignment[1]);
        Assert.Equal(0, fit.Inertia, 1e-9);
    }

    [Fact]
    public void NearestCentroidAgreesWithBruteForce()
    {
        var random = new Random(6);
        const int n = 100, d = 32, k = 19;
        var points = Enumerable.Range(0, n * d).Select(_ => (float)random.NextDouble()).ToArray();
        var centroids = Enumerable.Range(0, k * d).Select(_ => (float)random.NextDouble()).ToArray();
        var assignment = new int[n];
        var distance = new float[n];
        NearestCentroid.Assign(points, n, d, centroids, k, assignment, distance);
        for (var i = 0; i < n; i++)
        {
            var exact = Enumerable.Range(0, k).Select(c =>
                Enumerable.Range(0, d).Sum(j => Math.Pow(points[i * d + j] - (double)centroids[c * d + j], 2))).ToArray();
            Assert.Equal(exact.Min(), exact[assignment[i]], 1e-4);
            Assert.Equal(exact.Min(), distance[i], 1e-4);
        }
    }
}
