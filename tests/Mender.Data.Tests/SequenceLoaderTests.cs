using Mender.Data;

namespace Mender.Data.Tests;

public class SequenceLoaderTests
{
    private static void WriteItems(TempFolder folder) => folder.Write("items.jsonl", TempFolder.Lines(
        """{"item_id": 1, "asin": "A1", "title": "nail lacquer", "attributes": ["OPI", "Makeup", "Nails"]}""",
        """{"item_id": 2, "asin": "A2", "title": "eye shadow", "attributes": ["Makeup", "Eyes"]}""",
        """{"item_id": 3, "asin": "A3", "title": "", "attributes": ["Unknown", "Skin Care", "Makeup"]}""",
        """{"item_id": 4, "asin": "A4", "title": "bare", "attributes": []}"""));

    [Fact]
    public void LoadsSequencesWithTheCatalogue()
    {
        using var folder = new TempFolder();
        WriteItems(folder);
        folder.Write("sequences.txt", TempFolder.Lines("1 1 2 3", "2 3 1", "7 2 2 4 1"));

        var dataset = DatasetLoader.Load(folder.Path);

        Assert.Equal(Path.GetFileName(folder.Path), dataset.Name);
        Assert.Equal(4, dataset.Items.Count);
        Assert.Equal(["A1", "A2", "A3", "A4"], dataset.Items.Select(i => i.ExternalId));
        Assert.Equal("OPI", dataset.Items[0].Brand);
        Assert.Equal(["Makeup", "Nails"], dataset.Items[0].Categories);
        Assert.Null(dataset.Items[1].Brand);
        Assert.Equal(["Makeup", "Eyes"], dataset.Items[1].Categories);
        Assert.Null(dataset.Items[2].Brand);
        Assert.Equal("A3", dataset.Items[2].Title);
        Assert.Equal(["Skin Care", "Makeup"], dataset.Items[2].Categories);
        Assert.Empty(dataset.Items[3].Categories);

        Assert.Equal(["1", "2", "7"], dataset.Users.Select(u => u.ExternalId));
        Assert.Equal([0, 1, 2], dataset.Users[0].Interactions.Select(i => i.ItemId));
        Assert.Equal([1, 1, 3, 0], dataset.Users[2].Interactions.Select(i => i.ItemId));
        Assert.Equal([0L, 1, 2, 3], dataset.Users[2].Interactions.Select(i => i.Timestamp));
        Assert.Equal(9, dataset.InteractionCount);
    }

    [Fact]
    public void AcceptsTheSequencesFileItselfAndWorksWithoutACatalogue()
    {
        using var folder = new TempFolder();
        var path = folder.Write("sequences.txt", TempFolder.Lines("u1 10 20", "u2\t20\t30\t10"));

        var dataset = DatasetLoader.Load(path);

        Assert.Equal(["10", "20", "30"], dataset.Items.Select(i => i.Title));
        Assert.Equal([1, 2, 0], dataset.Users[1].Interactions.Select(i => i.ItemId));
    }

    [Fact]
    public void UnknownItemIsMalformedWithLineNumber()
    {
        using var folder = new TempFolder();
        WriteItems(folder);
        var path = folder.Write("sequences.txt", TempFolder.Lines("1 1 2", "2 3 99 1"));

        var error = Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(folder.Path));

        Assert.Contains(path, error.Message);
        Assert.Contains("line 2", error.Message);
        Assert.Contains("item id 99 is not in items.jsonl", error.Message);
        Assert.Contains("2 3 99 1", error.Message);
    }

    [Fact]
    public void SkipBadSkipsBrokenCatalogueAndSequenceLines()
    {
        using var folder = new TempFolder();
        folder.Write("items.jsonl", TempFolder.Lines(
            """{"item_id": 1, "title": "a"}""", """{"item_id": 2, "title": "b" """, """{"title": "no id"}""", """{"item_id": 1, "title": "again"}"""));
        folder.Write("sequences.txt", TempFolder.Lines("1 1", "2 2 1", "3", "1 1 1"));

        var dataset = DatasetLoader.Load(folder.Path, new DatasetLoadOptions { SkipBad = true });

        Assert.Single(dataset.Items);
        Assert.Single(dataset.Users);
        Assert.Equal(6, dataset.Report.SkippedLines);
        Assert.Contains(dataset.Report.SkippedExamples, m => m.Contains("appears again"));
    }
}
