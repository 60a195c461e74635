using Mender.Data;

namespace Mender.Data.Tests;

public class DatasetStatsTests
{
    [Fact]
    public void ComputesCountsDensityAndHistoryLengths()
    {
        var dataset = Fixtures.Histories(5, [0, 1], [1, 2, 3, 0], [0, 1, 2], [3]);

        var stats = dataset.Stats();

        Assert.Equal((4, 5, 10L), (stats.Users, stats.Items, stats.Interactions));
        Assert.Equal(10.0 / 20, stats.Density, 12);
        Assert.Equal(2.5, stats.MeanHistory, 12);
        Assert.Equal(2.5, stats.MedianHistory, 12);
        Assert.Equal((1, 4), (stats.MinHistory, stats.MaxHistory));
        Assert.Equal(1, stats.ItemsWithoutInteractions);
        Assert.Equal((0L, 0L), (stats.Ratings, stats.Reviews));
    }

    [Fact]
    public void OddUserCountTakesTheMiddleLength()
    {
        var stats = Fixtures.Histories(3, [0], [0, 1, 2], [0, 1]).Stats();
        Assert.Equal(2, stats.MedianHistory);
    }

    [Fact]
    public void EmptyDatasetHasZeroes()
    {
        var stats = new Dataset("empty", [], []).Stats();
        Assert.Equal((0, 0, 0L, 0.0, 0.0, 0.0), (stats.Users, stats.Items, stats.Interactions, stats.Density, stats.MeanHistory, stats.MedianHistory));
    }

    [Fact]
    public void ValidateCatchesBrokenInvariants()
    {
        Item[] items = [new(0, "a", "A")];
        Assert.Throws<InvalidDataException>(() => new Dataset("d", items, [new User(0, "u", [new Interaction(3, 0)])]).Validate());
        Assert.Throws<InvalidDataException>(() => new Dataset("d", items, [new User(0, "u", [new Interaction(0, 5), new Interaction(0, 1)])]).Validate());
        Assert.Throws<InvalidDataException>(() => new Dataset("d", [new Item(1, "a", "A")], []).Validate());
    }
}
