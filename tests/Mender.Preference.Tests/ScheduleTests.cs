using Mender.Preference.Extraction;

namespace Mender.Preference.Tests;

public class ScheduleTests
{
    [Fact]
    public void ShortHistoryGetsAPromptPerStepWithGrowingWindows()
    {
        var user = Fixtures.Dataset(users: 1, historyLength: 7).Users[0];
        var steps = ExtractionSchedule.Mender.Steps(user).ToList();
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], steps.Select(s => s.Step));
        Assert.Equal([0, 0, 0, 0, 0, 1, 2], steps.Select(s => s.WindowStart));
        Assert.Equal([1, 2, 3, 4, 5, 5, 5], steps.Select(s => s.WindowLength));
    }

    [Fact]
    public void LongHistoryOnlyUsesTheLastTwentyItems()
    {
        var user = Fixtures.Dataset(users: 1, historyLength: 26).Users[0];
        var steps = ExtractionSchedule.Mender.Steps(user).ToList();
        Assert.Equal(20, steps.Count);
        Assert.Equal(6, steps[0].Step);
        Assert.Equal(6, steps[0].WindowStart);
        Assert.Equal(6, steps[3].WindowStart);
        Assert.Equal(7, steps[5].WindowStart);
        Assert.Equal((25, 21), (steps[^1].Step, steps[^1].WindowStart));
    }

    [Fact]
    public void WindowHoldsTheReviewedItemsOldestFirst()
    {
        var dataset = Fixtures.Dataset(users: 1, historyLength: 8);
        var step = ExtractionSchedule.Mender.Steps(dataset.Users[0]).Last();
        var window = step.Window(dataset);
        Assert.Equal(5, window.Entries.Count);
        Assert.Equal(dataset.Users[0].Interactions.Skip(3).Select(i => i.ItemId), window.Entries.Select(e => e.Item.Id));
    }
}
