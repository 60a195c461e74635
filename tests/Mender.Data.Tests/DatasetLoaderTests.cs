using Mender.Data;

namespace Mender.Data.Tests;

public class DatasetLoaderTests
{
    [Fact]
    public void MissingPathIsFileNotFound()
    {
        var error = Assert.Throws<FileNotFoundException>(() => DatasetLoader.Load("/no/such/dataset"));
        Assert.Contains("/no/such/dataset", error.Message);
    }

    [Fact]
    public void UnrecognisedFolderListsWhatIsExpected()
    {
        using var folder = new TempFolder();
        folder.Write("notes.txt", "hello");
        var error = Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(folder.Path));
        Assert.Contains("no dataset recognised", error.Message);
        Assert.Contains("sequences.txt", error.Message);
    }

    [Fact]
    public void RecognisesFormatsFromNamesAndContent()
    {
        using var folder = new TempFolder();
        var reviews = folder.WriteGzip("Beauty_5.json.gz", TempFolder.Lines("""{"reviewerID": "A", "asin": "B", "unixReviewTime": 1}"""));
        var meta = folder.WriteGzip("meta_Beauty.json.gz", TempFolder.Lines("{'asin': 'B', 'title': 'T'}"));
        var steam = folder.Write("games.json", TempFolder.Lines("{u'app_name': u'G', u'id': u'1', u'url': u'u', u'early_access': False}"));
        var inter = folder.Write("x.inter", TempFolder.Lines("user_id:token\titem_id:token", "1\t2"));

        Assert.Equal(new DatasetLocation(DatasetFormat.AmazonReviews, reviews, meta), DatasetLoader.Locate(reviews));
        Assert.Equal(DatasetFormat.AmazonMeta, DatasetLoader.Locate(meta).Format);
        Assert.Equal(DatasetFormat.Steam, DatasetLoader.Locate(steam).Format);
        Assert.Equal(DatasetFormat.RecBole, DatasetLoader.Locate(inter).Format);
        Assert.Equal(DatasetFormat.RecBole, DatasetLoader.Locate(folder.Path).Format);
    }

    [Fact]
    public void MetaFileAloneIsACatalogue()
    {
        using var folder = new TempFolder();
        var meta = folder.Write("meta_Tools.json", TempFolder.Lines("{'asin': 'B', 'title': 'Hammer', 'price': 3.0}", "{'asin': 'C', 'title': 'Saw'}"));

        var dataset = DatasetLoader.Load(meta);

        Assert.Equal(["Hammer", "Saw"], dataset.Items.Select(i => i.Title));
        Assert.Empty(dataset.Users);
    }

    [Fact]
    public void FolderWithTwoReviewFilesAsksForOne()
    {
        using var folder = new TempFolder();
        folder.Write("A_5.json", TempFolder.Lines("""{"reviewerID": "A", "asin": "B", "unixReviewTime": 1}"""));
        folder.Write("B_5.json", TempFolder.Lines("""{"reviewerID": "A", "asin": "B", "unixReviewTime": 1}"""));
        Assert.Contains("several datasets", Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(folder.Path)).Message);
    }

    [Fact]
    public void KCoreOptionFiltersAfterLoading()
    {
        using var folder = new TempFolder();
        var path = folder.Write("sequences.txt", TempFolder.Lines("1 a b", "2 a b", "3 a c"));

        var dataset = DatasetLoader.Load(path, new DatasetLoadOptions { KCore = 2 });

        Assert.Equal(["a", "b"], dataset.Items.Select(i => i.ExternalId));
        Assert.Equal(["1", "2"], dataset.Users.Select(u => u.ExternalId));
        Assert.Contains(dataset.Report.Notes, n => n.StartsWith("2-core filter: kept 2 of 3 users, 2 of 3 items, 4 of 6 interactions"));
    }

    [Fact]
    public void ReadsGzipByContentNotName()
    {
        using var folder = new TempFolder();
        var path = folder.WriteGzip("sequences.txt", TempFolder.Lines("1 a b"));
        Assert.Equal(2, DatasetLoader.Load(path).InteractionCount);
    }
}
