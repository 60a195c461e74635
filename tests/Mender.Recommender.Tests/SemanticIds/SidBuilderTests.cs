using Mender.Data;
using Mender.Recommender.Embeddings;
using Mender.Recommender.SemanticIds;
using Mender.Recommender.Tests.Embeddings;
using Xunit;

namespace Mender.Recommender.Tests.SemanticIds;

public sealed class SidBuilderTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "mender-sidbuild-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    private static (Dataset Dataset, int[] Family) Catalogue()
    {
        var (texts, family) = Corpus.Make(30, seed: 1);
        var items = texts.Select((t, i) => new Item(i, $"P{i:D4}", t, Categories: [$"aisle {i % 3}"])).ToArray();
        return (new Dataset("synthetic", items, []), family);
    }

    private static SidBuildOptions Options(SidMethod method = SidMethod.RkMeans) => new()
    {
        Method = method,
        CodebookSize = 4,
        Seed = 3,
        Embedder = CatalogueEmbedder.Lexical(new LexicalEmbedderOptions { Dimensions = 16, Seed = 3 }),
    };

    [Fact]
    public async Task KnownProductFamiliesBecomeTheFirstLevelCodes()
    {
        var (dataset, family) = Catalogue();
        var result = await SidBuilder.BuildAsync(dataset, dir, Options());
        var first = Enumerable.Range(0, dataset.Items.Count).Select(i => result.Table[i][0]).ToArray();
        Assert.True(Blobs.SamePartition(family, first), "first-level codes should be exactly the four families");
        Assert.Equal(4, result.Quality.CodesUsedPerLevel[0]);
        Assert.Equal("lexical-tfidf-svd-d16", result.Quality.Embedder);
    }

    [Fact]
    public async Task WritesArtefactsAndReusesAFinishedBuild()
    {
        var (dataset, _) = Catalogue();
        var first = await SidBuilder.BuildAsync(dataset, dir, Options());
        Assert.False(first.Reused);
        foreach (var file in new[] { SidBuilder.SidsFile, SidBuilder.QualityFile, SidBuilder.CodebooksFile, SidBuilder.ManifestFile })
            Assert.True(File.Exists(Path.Combine(dir, file)), file);
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));

        var second = await SidBuilder.BuildAsync(dataset, dir, Options());
        Assert.True(second.Reused);
        for (var i = 0; i < dataset.Items.Count; i++) Assert.Equal(first.Table[i].ToArray(), second.Table[i].ToArray());
        Assert.Equal(first.Quality.PrefixCollisionRate, second.Quality.PrefixCollisionRate);

        var (codebooks, width) = CodebookFile.Load(Path.Combine(dir, SidBuilder.CodebooksFile));
        Assert.Equal(3, codebooks.Length);
        Assert.Equal(16, width);
        Assert.All(codebooks, c => Assert.Equal(4 * 16, c.Length));
    }

    [Fact]
    public async Task InterruptedBuildRecomputesFromCachedEmbeddings()
    {
        var (dataset, _) = Catalogue();
        var first = await SidBuilder.BuildAsync(dataset, dir, Options());
        File.Delete(Path.Combine(dir, SidBuilder.QualityFile));
        var again = await SidBuilder.BuildAsync(dataset, dir, Options());
        Assert.False(again.Reused);
        for (var i = 0; i < dataset.Items.Count; i++) Assert.Equal(first.Table[i].ToArray(), again.Table[i].ToArray());
    }

    [Fact]
    public async Task RefusesADirectoryBuiltWithOtherSettings()
    {
        var (dataset, _) = Catalogue();
        await SidBuilder.BuildAsync(dataset, dir, Options());
        var error = await Assert.ThrowsAsync<ArgumentException>(() => SidBuilder.BuildAsync(dataset, dir, Options() with { Seed = 4 }));
        Assert.Contains("seed", error.Message);
    }

    [Fact]
    public async Task CooccurrenceGroupsItemsBoughtTogetherAcrossTextFamilies()
    {
        var (texts, family) = Corpus.Make(30, seed: 1);
        var items = texts.Select((t, i) => new Item(i, $"P{i:D4}", t)).ToArray();
        // Shoppers buy across text families: group g holds items i with i % 4 == g, one of each family in turn.
        var random = new Random(2);
        var users = Enumerable.Range(0, 400).Select(u => new User(u, $"U{u}",
            Enumerable.Range(0, 8).Select(t => new Interaction(4 * random.Next(30) + u % 4, t)).ToArray())).ToArray();
        var dataset = new Dataset("shoppers", items, users);
        var options = Options() with { Cooccurrence = new CooccurrenceOptions { Weight = 0.9, Dimensions = 8 } };
        var result = await SidBuilder.BuildAsync(dataset, dir, options);
        var first = Enumerable.Range(0, items.Length).Select(i => result.Table[i][0]).ToArray();
        Assert.True(Blobs.SamePartition(items.Select(i => i.Id % 4).ToArray(), first), "first-level codes should be the co-purchase groups");
        Assert.False(Blobs.SamePartition(family, first));
        Assert.Equal("lexical-tfidf-svd-d16+cooc-d8-w3-weight0.9", result.Quality.Embedder);
        Assert.Equal(24, result.Quality.EmbeddingDimensions);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => SidBuilder.BuildAsync(dataset, dir, Options()));
        Assert.Contains("cooccurrence", error.Message);
    }

    [Fact]
    public async Task RqVaeBuildSavesItsNetworkAndGivesUniqueSids()
    {
        var (dataset, family) = Catalogue();
        var options = Options(SidMethod.RqVae) with
        {
            RqVae = new RqVaeOptions { HiddenSizes = [32, 16], LatentDimensions = 8, Epochs = 40, BatchSize = 64 },
        };
        var result = await SidBuilder.BuildAsync(dataset, dir, options);
        Assert.Equal("rqvae", result.Quality.Method);
        Assert.True(File.Exists(Path.Combine(dir, SidBuilder.RqVaeModelFile)));
        var sids = Enumerable.Range(0, dataset.Items.Count).Select(i => SidTable.Format(result.Table[i])).ToHashSet();
        Assert.Equal(dataset.Items.Count, sids.Count);
        var tensors = Mender.Numerics.Checkpoints.SafeTensors.Load(Path.Combine(dir, SidBuilder.RqVaeModelFile)).Tensors;
        Assert.Equal([4, 8], tensors["codebook0"].Shape.ToArray());
        Assert.Equal([32, 16], tensors["encoder.0.weight"].Shape.ToArray());
    }

    [Fact]
    public async Task NearestLastLevelLeavesSeparationToTheCollisionCode()
    {
        var (dataset, _) = Catalogue();
        var result = await SidBuilder.BuildAsync(dataset, dir, Options() with { DistinctLastLevel = false });
        Assert.Equal("nearest", result.Quality.LastLevel);
        // 120 items cannot all have distinct prefixes among 4 × 4 × 4 codes.
        Assert.True(result.Quality.MaxCollisionGroup > 1);
        Assert.Equal(result.Quality.MaxCollisionGroup, result.Table.CodebookSizes[3]);
        var sids = Enumerable.Range(0, dataset.Items.Count).Select(i => SidTable.Format(result.Table[i])).ToHashSet();
        Assert.Equal(dataset.Items.Count, sids.Count);
    }

    [Fact]
    public async Task NeighboursShareTheLongestPrefixesFirst()
    {
        var (dataset, _) = Catalogue();
        var result = await SidBuilder.BuildAsync(dataset, dir, Options() with { DistinctLastLevel = false });
        var neighbours = SidNeighbours.Of(result.Table, 0, 10);
        Assert.Equal(10, neighbours.Count);
        Assert.DoesNotContain(neighbours, n => n.Item == 0);
        for (var i = 1; i < neighbours.Count; i++) Assert.True(neighbours[i - 1].SharedPrefix >= neighbours[i].SharedPrefix);
        foreach (var n in neighbours)
            Assert.Equal(result.Table[0][..n.SharedPrefix].ToArray(), result.Table[n.Item][..n.SharedPrefix].ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task TinyCataloguesStillGetUniqueSids(int count)
    {
        var items = Enumerable.Range(0, count).Select(i => new Item(i, $"T{i}", $"thing {i}")).ToArray();
        var result = await SidBuilder.BuildAsync(new Dataset("tiny", items, []), dir, new SidBuildOptions());
        Assert.Equal(count, result.Table.Count);
        Assert.Equal(count, Enumerable.Range(0, count).Select(i => SidTable.Format(result.Table[i])).Distinct().Count());
    }

    [Fact]
    public async Task SameSeedSameSids()
    {
        var (dataset, _) = Catalogue();
        var a = await SidBuilder.BuildAsync(dataset, Path.Combine(dir, "a"), Options());
        var b = await SidBuilder.BuildAsync(dataset, Path.Combine(dir, "b"), Options());
        for (var i = 0; i < dataset.Items.Count; i++) Assert.Equal(a.Table[i].ToArray(), b.Table[i].ToArray());
    }
}
