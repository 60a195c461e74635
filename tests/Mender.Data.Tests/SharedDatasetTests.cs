using Mender.Data;
using Mender.Data.Formats;

namespace Mender.Data.Tests;

/// <summary>The reference datasets in ../shared load with exactly the published counts.</summary>
public class SharedDatasetTests
{
    [SharedFact]
    public void Amazon2014BeautySequences()
    {
        var dataset = DatasetLoader.Load(SharedData.PathOf("data/amazon2014-beauty"));
        var stats = dataset.Stats();

        Assert.Equal((22_363, 12_101, 198_502L), (stats.Users, stats.Items, stats.Interactions));
        Assert.Equal(6, stats.MedianHistory);
        Assert.Equal(5, stats.MinHistory);
        Assert.Equal(0, dataset.Report.SkippedLines);
        Assert.Equal("B004756YJA", dataset.Items[0].ExternalId);
        Assert.Equal("nail lacquer simmer and shimmer", dataset.Items[0].Title);
        Assert.Equal("OPI", dataset.Items[0].Brand);
        Assert.Equal(["Makeup", "Nails", "Nail Polish"], dataset.Items[0].Categories);
        Assert.Equal([0, 1, 2, 3, 4], dataset.Users[0].Interactions.Select(i => i.ItemId));

        // Already a 5-core: the filter keeps everything.
        var core = KCoreFilter.Apply(dataset, 5);
        Assert.Equal((stats.Users, stats.Items), (core.Users.Count, core.Items.Count));

        var split = LeaveOneOutSplit.Create(dataset);
        Assert.Equal(22_363, split.Test.Count);
        Assert.Equal(198_502L - 3 * 22_363, split.TrainingSampleCount);
    }

    [SharedFact]
    public void MovieLens100kRecBole()
    {
        var dataset = DatasetLoader.Load(SharedData.PathOf("data/ml-100k"));
        var stats = dataset.Stats();

        Assert.Equal((943, 1_682, 100_000L), (stats.Users, stats.Items, stats.Interactions));
        Assert.Equal(100_000L, stats.Ratings);
        Assert.Equal("Toy Story", dataset.Items[0].Title);
        Assert.Equal(["Animation", "Children's", "Comedy"], dataset.Items[0].Categories);
    }

    [SharedFact]
    public void Amazon2018AllBeautyReviews()
    {
        var dataset = DatasetLoader.Load(SharedData.PathOf("data/amazon2018-all-beauty"));
        var stats = dataset.Stats();

        Assert.Equal((991, 85, 5_269L), (stats.Users, stats.Items, stats.Interactions));
        Assert.Equal(5_269L, stats.Reviews);
        Assert.All(dataset.Items, item => Assert.Equal(item.ExternalId, item.Title));
        Assert.Contains(dataset.Users.SelectMany(u => u.Interactions), i => i.ReviewText == "As advertised. Reasonably priced");
    }

    [SharedFact]
    public void SteamCatalogueReadsEveryLine()
    {
        var dataset = DatasetLoader.Load(SharedData.PathOf("data/steam/steam_games.json.gz"));

        // 32,135 lines: one has no id and no store URL, two repeat an id.
        Assert.Equal(32_135 - 3, dataset.Items.Count);
        Assert.Equal(0, dataset.Report.SkippedLines);
        Assert.Empty(dataset.Users);
        Assert.Contains(dataset.Items, i => i.Title == "Lost Summoner Kitty" && i.Categories.Contains("Indie"));
    }

    [SharedFact]
    public void BeautyCacheRoundTripsExactly()
    {
        var source = DatasetLoader.Load(SharedData.PathOf("data/amazon2014-beauty"));
        using var folder = new TempFolder();
        DatasetCache.Write(source, folder.Path, new Provenance("test", new Dictionary<string, string>()));

        DatasetAssert.Equal(source, DatasetLoader.Load(folder.Path));
    }
}
