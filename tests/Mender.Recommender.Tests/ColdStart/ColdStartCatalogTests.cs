using Mender.Recommender.ColdStart;
using Mender.Recommender.Embeddings;

namespace Mender.Recommender.Tests.ColdStart;

public sealed class ColdStartCatalogTests : IDisposable
{
    private const string Spec = "lexical seed=7";
    private static readonly Lazy<LexicalEmbeddingGenerator> Embedder = new(() =>
        LexicalEmbeddingGenerator.Fit(Embeddings.Corpus.Make(30, 3).Texts, new LexicalEmbedderOptions { Dimensions = 16, Seed = 7 }));

    private readonly TempFolder folder = new();

    private static ColdStartItem Item(string id, string title, params string[] attributes) => new(id, title, attributes, null);

    [Fact]
    public void MalformedLinesAreNamedByFileAndLine()
    {
        var path = folder.Write("items.jsonl", TempFolder.Lines("""{"item_id": "A", "title": "Nail polish"}""", "", """{"item_id": "B"}"""));
        var missing = Assert.Throws<InvalidDataException>(() => ColdStartCatalog.ReadFile(path));
        Assert.StartsWith($"{path}:3: \"title\"", missing.Message);

        var notJson = folder.Write("bad.jsonl", TempFolder.Lines("{nope"));
        Assert.StartsWith($"{notJson}:1: not valid JSON", Assert.Throws<InvalidDataException>(() => ColdStartCatalog.ReadFile(notJson)).Message);

        var attributes = folder.Write("attr.jsonl", TempFolder.Lines("""{"item_id": "A", "title": "x", "attributes": "red"}"""));
        Assert.Contains(":1: \"attributes\" must be an array", Assert.Throws<InvalidDataException>(() => ColdStartCatalog.ReadFile(attributes)).Message);

        var twice = folder.Write("twice.jsonl", TempFolder.Lines("""{"item_id": "A", "title": "x"}""", """{"item_id": "A", "title": "y"}"""));
        Assert.Contains(":2: item 'A' already appears on line 1", Assert.Throws<InvalidDataException>(() => ColdStartCatalog.ReadFile(twice)).Message);
    }

    [Fact]
    public void ItemsAreStoredUpdatedAndReopenedWithTheSameEmbeddings()
    {
        var catalog = ColdStartCatalog.Open(folder.Path, Embedder.Value, Spec);
        Assert.Equal(0, catalog.Count);
        Assert.Equal((2, 0), catalog.Add([Item("A", "shampoo conditioner for curl"), Item("B", "matte lipstick tint")], _ => false));
        Assert.Equal((1, 1), catalog.Add([Item("B", "sunscreen spf lotion", "sport"), Item("C", "nail polish topcoat")], _ => false));

        var reopened = ColdStartCatalog.Open(folder.Path, Embedder.Value, Spec);
        Assert.Equal(["A", "B", "C"], reopened.Items.Select(i => i.ItemId));
        Assert.Equal(["sport"], reopened.Items[1].Attributes);
        for (var i = 0; i < 3; i++) Assert.Equal(catalog.Embedding(i).ToArray(), reopened.Embedding(i).ToArray());
        Assert.Equal(Embedder.Value.Embed(reopened.Items[1].Text), reopened.Embedding(1).ToArray());
    }

    [Fact]
    public void EmbeddingsThatDoNotMatchTheItemsAreRecomputed()
    {
        var catalog = ColdStartCatalog.Open(folder.Path, Embedder.Value, Spec);
        catalog.Add([Item("A", "shampoo for frizz"), Item("B", "lip balm")], _ => false);
        var cold = ColdStartCatalog.FolderOf(folder.Path);
        // As if a run stopped after writing the items but before the embeddings: the stored ones belong to other text.
        File.WriteAllText(Path.Combine(cold, ColdStartCatalog.ItemsFile),
            TempFolder.Lines(Item("A", "sunscreen spf").ToJsonLine(), Item("B", "lip balm").ToJsonLine()));
        var reopened = ColdStartCatalog.Open(folder.Path, Embedder.Value, Spec);
        Assert.Equal(Embedder.Value.Embed(reopened.Items[0].Text), reopened.Embedding(0).ToArray());
    }

    [Fact]
    public void CatalogueIdsAreRefusedAndNothingIsWritten()
    {
        var catalog = ColdStartCatalog.Open(folder.Path, Embedder.Value, Spec);
        var error = Assert.Throws<ArgumentException>(() => catalog.Add([Item("NEW", "x"), Item("OLD", "y")], id => id == "OLD"));
        Assert.Contains("'OLD'", error.Message);
        Assert.False(Directory.Exists(ColdStartCatalog.FolderOf(folder.Path)));
    }

    [Fact]
    public void NearestFindsTheItemWhoseTextMatchesTheQuery()
    {
        var catalog = ColdStartCatalog.Open(folder.Path, Embedder.Value, Spec);
        catalog.Add([Item("hair", "shampoo conditioner scalp keratin"), Item("lips", "matte lipstick liner tint"), Item("sun", "sunscreen spf uv lotion")], _ => false);
        var query = Embedder.Value.Embed("lipstick matte tint");
        var nearest = catalog.Nearest(query, 2);
        Assert.Equal(2, nearest.Count);
        Assert.Equal("lips", catalog.Items[nearest[0].Index].ItemId);
        Assert.True(nearest[0].Similarity > nearest[1].Similarity);
        Assert.DoesNotContain(catalog.Nearest(query, 3, i => i == nearest[0].Index), n => n.Index == nearest[0].Index);
    }

    public void Dispose() => folder.Dispose();
}
