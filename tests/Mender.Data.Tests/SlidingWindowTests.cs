using Mender.Data;

namespace Mender.Data.Tests;

public class SlidingWindowTests
{
    [Fact]
    public void EveryPrefixPredictsTheNextItem()
    {
        int[][] sequences = [[5, 6, 7, 8], [9], [], [1, 2]];

        var samples = SlidingWindow.Samples(sequences, historyCap: 20);

        Assert.Equal(4, samples.Count);
        Assert.Equal((0, 6, 1), (samples[0].UserId, samples[0].Target, samples[0].TargetIndex));
        Assert.Equal([5], samples[0].History);
        Assert.Equal([5, 6], samples[1].History);
        Assert.Equal(7, samples[1].Target);
        Assert.Equal([5, 6, 7], samples[2].History);
        Assert.Equal(8, samples[2].Target);
        Assert.Equal((3, 2, 1), (samples[3].UserId, samples[3].Target, samples[3].TargetIndex));
        Assert.Equal([1], samples[3].History);
        Assert.Equal(4, SlidingWindow.Count(sequences));
    }

    [Fact]
    public void HistoryIsCappedToTheLastItems()
    {
        var samples = SlidingWindow.Samples([[0, 1, 2, 3, 4, 5]], historyCap: 2);

        Assert.Equal([[0], [0, 1], [1, 2], [2, 3], [3, 4]], samples.Select(s => s.History));
        Assert.Equal([1, 2, 3, 4, 5], samples.Select(s => s.Target));
    }

    [Fact]
    public void RejectsANonPositiveCap() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SlidingWindow.Samples([[1, 2]], historyCap: 0));
}
