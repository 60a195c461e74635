using Mender.Recommender.SemanticIds;
using Xunit;

namespace Mender.Recommender.Tests.SemanticIds;

public class ResidualKMeansTests
{
    [Fact]
    public void FirstLevelRecoversTheClustersAndLaterLevelsShrinkTheResidual()
    {
        var (points, labels, _) = Blobs.Make(clusters: 4, perCluster: 60, d: 16, spread: 0.5, seed: 1);
        var q = ResidualKMeans.Fit(points, labels.Length, 16, new ResidualKMeansOptions { Levels = 3, CodebookSize = 4, Seed = 5 });
        var first = Enumerable.Range(0, labels.Length).Select(i => q.CodesOf(i)[0]).ToArray();
        Assert.True(Blobs.SamePartition(labels, first));
        Assert.True(q.ResidualErrorPerLevel[1] < q.ResidualErrorPerLevel[0]);
        Assert.True(q.ResidualErrorPerLevel[2] < q.ResidualErrorPerLevel[1]);
        Assert.Equal(q.ResidualErrorPerLevel[2], q.ReconstructionError);
        Assert.InRange(q.RelativeReconstructionError, 0, 0.01);
    }

    [Fact]
    public void ReconstructionIsTheSumOfTheChosenCodewords()
    {
        var (points, labels, _) = Blobs.Make(clusters: 3, perCluster: 20, d: 8, spread: 1, seed: 2);
        var q = ResidualKMeans.Fit(points, labels.Length, 8, new ResidualKMeansOptions { Levels = 2, CodebookSize = 5, Seed = 1 });
        var error = 0.0;
        for (var i = 0; i < labels.Length; i++)
            for (var j = 0; j < 8; j++)
            {
                var reconstruction = q.Codebooks[0][q.CodesOf(i)[0] * 8 + j] + q.Codebooks[1][q.CodesOf(i)[1] * 8 + j];
                error += Math.Pow(points[i * 8 + j] - reconstruction, 2);
            }
        Assert.Equal(error / labels.Length, q.ReconstructionError, 1e-3);
    }

    [Fact]
    public void SeedFixesTheCodes()
    {
        var (points, labels, _) = Blobs.Make(clusters: 6, perCluster: 30, d: 16, spread: 4, seed: 3);
        var options = new ResidualKMeansOptions { CodebookSize = 8, Seed = 11 };
        var a = ResidualKMeans.Fit(points, labels.Length, 16, options);
        var b = ResidualKMeans.Fit(points, labels.Length, 16, options);
        var c = ResidualKMeans.Fit(points, labels.Length, 16, options with { Seed = 12 });
        Assert.Equal(a.Codes, b.Codes);
        for (var l = 0; l < 3; l++) Assert.Equal(a.Codebooks[l], b.Codebooks[l]);
        Assert.NotEqual(a.Codes, c.Codes);
    }
}
