using Mender.Data;

namespace Mender.Data.Tests;

public class RecBoleLoaderTests
{
    private static void WriteMovies(TempFolder folder, string inter)
    {
        folder.Write("movies.inter", inter);
        folder.Write("movies.item", TempFolder.Lines(
            "item_id:token\tmovie_title:token_seq\trelease_year:token\tclass:token_seq",
            "1\tToy Story\t1995\tAnimation Children's Comedy",
            "2\tGoldenEye\t1995\tAction Thriller",
            "3\tNever Rated\t\t"));
        folder.Write("movies.user", TempFolder.Lines(
            "user_id:token\tage:token\tgender:token", "1\t24\tM", "2\t53\tF", "3\t30\tF"));
    }

    [Fact]
    public void LoadsAtomicFilesWithTypedHeaders()
    {
        using var folder = new TempFolder();
        WriteMovies(folder, TempFolder.Lines(
            "user_id:token\titem_id:token\trating:float\ttimestamp:float",
            "2\t1\t4\t881250949",
            "1\t2\t3\t891717742",
            "2\t2\t5\t881250000",
            "1\t1\t1.5\t891717742"));

        var dataset = DatasetLoader.Load(folder.Path);

        Assert.Equal("movies", dataset.Name);
        Assert.Equal(["Toy Story", "GoldenEye", "Never Rated"], dataset.Items.Select(i => i.Title));
        Assert.Equal(["Animation", "Children's", "Comedy"], dataset.Items[0].Categories);
        Assert.Equal(["release_year: 1995"], dataset.Items[0].Attributes);
        Assert.Empty(dataset.Items[2].Categories);
        Assert.Equal(["1", "2"], dataset.Users.Select(u => u.ExternalId));
        Assert.Contains(dataset.Report.Notes, n => n.Contains("1 users without interactions"));

        var u1 = dataset.Users[0].Interactions;
        Assert.Equal([1, 0], u1.Select(i => i.ItemId));
        Assert.Equal([3f, 1.5f], u1.Select(i => i.Rating!.Value));
        var u2 = dataset.Users[1].Interactions;
        Assert.Equal([881250000L, 881250949L], u2.Select(i => i.Timestamp));
        Assert.Equal(1, dataset.Stats().ItemsWithoutInteractions);
    }

    [Fact]
    public void LoadsAnInterFileWithoutTimestampsInFileOrder()
    {
        using var folder = new TempFolder();
        var path = folder.Write("tiny.inter", TempFolder.Lines("user_id:token\titem_id:token", "a\tx", "a\ty", "b\tx"));

        var dataset = DatasetLoader.Load(path);

        Assert.Equal(["x", "y"], dataset.Items.Select(i => i.ExternalId));
        Assert.Equal([0L, 1L], dataset.Users[0].Interactions.Select(i => i.Timestamp));
    }

    [Fact]
    public void WrongFieldCountAndBadNumbersAreMalformed()
    {
        using var folder = new TempFolder();
        WriteMovies(folder, TempFolder.Lines(
            "user_id:token\titem_id:token\trating:float\ttimestamp:float",
            "1\t1\t4\t881250949",
            "1\t2\t4",
            "2\t2\tfive\t881250949"));

        var error = Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(folder.Path));
        Assert.Contains("movies.inter line 3", error.Message);
        Assert.Contains("3 fields where the header names 4", error.Message);

        var skipped = DatasetLoader.Load(folder.Path, new DatasetLoadOptions { SkipBad = true });
        Assert.Equal(2, skipped.Report.SkippedLines);
        Assert.Contains("rating is not a number: \"five\"", skipped.Report.SkippedExamples[1]);
        Assert.Equal(1, skipped.InteractionCount);
    }

    [Fact]
    public void HeaderProblemsAreReported()
    {
        using var folder = new TempFolder();
        folder.Write("a.inter", TempFolder.Lines("user_id:token\titem_id:blob", "1\t2"));
        Assert.Contains("unknown type 'blob'", Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(folder.Path)).Message);

        using var other = new TempFolder();
        other.Write("b.inter", TempFolder.Lines("uid:token\titem_id:token", "1\t2"));
        Assert.Contains("no 'user_id' field", Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(other.Path)).Message);
    }
}
