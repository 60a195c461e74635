using Mender.Recommender.ColdStart;
using Mender.Recommender.Embeddings;

namespace Mender.Recommender.Tests.ColdStart;

public sealed class HybridRankerTests : IDisposable
{
    private static readonly Lazy<LexicalEmbeddingGenerator> Embedder = new(() =>
        LexicalEmbeddingGenerator.Fit(Embeddings.Corpus.Make(30, 5).Texts, new LexicalEmbedderOptions { Dimensions = 16, Seed = 5 }));

    private static readonly string[] Generated = ["nail polish lacquer gloss", "nail enamel topcoat manicure", "shampoo hair scalp curl"];

    private readonly TempFolder folder = new();

    private ColdStartCatalog Catalog()
    {
        var catalog = ColdStartCatalog.Open(folder.Path, Embedder.Value, "lexical seed=5");
        catalog.Add([new("NEW-SUN", "sunscreen spf uv lotion sport", [], null), new("NEW-NAIL", "nail polish shimmer manicure", [], null)], _ => false);
        return catalog;
    }

    private static ReadOnlyMemory<float> Embedding(int item) => Embedder.Value.Embed(Generated[item]);

    [Fact]
    public void AColdStartItemCloseToThePreferenceEntersTheRankingOnOneScale()
    {
        var catalog = Catalog();
        var generated = new[] { (0, -0.5f), (1, -2.5f), (2, -3f) };
        var preference = Embedder.Value.Embed("sunscreen spf lotion uv");
        var ranked = HybridRanker.Rank(generated, Embedding, preference, catalog, 4);

        Assert.Equal(4, ranked.Count);
        Assert.Equal(0, ranked[0].Item);
        Assert.False(ranked[0].IsColdStart);
        var sun = Assert.Single(ranked, c => c.IsColdStart && catalog.Items[c.ColdStartIndex].ItemId == "NEW-SUN");
        Assert.True(sun.Score > ranked.Where(c => !c.IsColdStart).Min(c => c.Score));
        Assert.Equal(ranked.Select(c => c.Score).OrderByDescending(s => s), ranked.Select(c => c.Score));
        Assert.Equal((1 - HybridRanker.ModelWeight) * sun.Similarity, sun.Score, 5);
    }

    [Fact]
    public void WithoutAPreferenceTheGeneratedItemsLeadTheQuery()
    {
        var catalog = Catalog();
        var ranked = HybridRanker.Rank([(0, -0.1f), (1, -0.2f)], Embedding, [], catalog, 4, i => false);
        var cold = ranked.Where(c => c.IsColdStart).Select(c => catalog.Items[c.ColdStartIndex].ItemId).ToList();
        Assert.Equal("NEW-NAIL", cold[0]);
        var skipped = HybridRanker.Rank([(0, -0.1f), (1, -0.2f)], Embedding, [], catalog, 4, i => catalog.Items[i].ItemId == "NEW-NAIL");
        Assert.DoesNotContain(skipped, c => c.IsColdStart && catalog.Items[c.ColdStartIndex].ItemId == "NEW-NAIL");
    }

    public void Dispose() => folder.Dispose();
}
