using Mender.Data;
using Mender.Recommender.SemanticIds;
using Mender.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Mender.Recommender.Tests.SemanticIds;

/// <summary>The issue's bar on the real catalogue: Amazon 2014 Beauty, lexical embedder, residual k-means.</summary>
public sealed class BeautySidTests(ITestOutputHelper output) : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "mender-beauty-sids-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    [SharedFact]
    public async Task ResidualKMeansMeetsTheCodeQualityBounds()
    {
        var dataset = DatasetLoader.Load(SharedData.PathOf("data/amazon2014-beauty"));
        Assert.Equal(12101, dataset.Items.Count);
        var result = await SidBuilder.BuildAsync(dataset, dir, new SidBuildOptions { Method = SidMethod.RkMeans, Seed = 42 });
        var q = result.Quality;
        output.WriteLine(q.ToJson());
        Assert.Equal("lexical-tfidf-svd-d128", q.Embedder);
        Assert.All(q.CodesUsedPerLevel, used => Assert.True(used >= 200, $"codes used per level: {string.Join(", ", q.CodesUsedPerLevel)}"));
        Assert.True(q.PrefixCollisionRate <= 0.10, $"prefix collision rate {q.PrefixCollisionRate:P2}");
        Assert.True(q.MaxCollisionGroup <= 10, $"largest collision group {q.MaxCollisionGroup}");
        Assert.Equal(dataset.Items.Count, Enumerable.Range(0, result.Table.Count).Select(i => SidTable.Format(result.Table[i])).Distinct().Count());
    }
}
