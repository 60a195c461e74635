using Mender.Data;

namespace Mender.Data.Tests;

public class LeaveOneOutSplitTests
{
    [Fact]
    public void LastIsTestSecondToLastIsValidationRestTrains()
    {
        var dataset = Fixtures.Histories(10, [1, 2, 3, 4, 5], [6, 7, 8], [9, 1]);

        var split = LeaveOneOutSplit.Create(dataset);

        Assert.Equal([1, 2, 3], split.Train[0]);
        Assert.Equal([6], split.Train[1]);
        Assert.Equal([9, 1], split.Train[2]);
        Assert.Equal(1, split.UsersWithoutHeldOut);

        Assert.Equal(2, split.Validation.Count);
        var validation = split.Validation[0];
        Assert.Equal((0, 4, 3), (validation.UserId, validation.Target, validation.TargetIndex));
        Assert.Equal([1, 2, 3], validation.History);
        var test = split.Test[0];
        Assert.Equal((0, 5, 4), (test.UserId, test.Target, test.TargetIndex));
        Assert.Equal([1, 2, 3, 4], test.History);

        Assert.Equal((1, 7, 1), (split.Validation[1].UserId, split.Validation[1].Target, split.Validation[1].TargetIndex));
        Assert.Equal([6], split.Validation[1].History);
        Assert.Equal([6, 7], split.Test[1].History);
        Assert.Equal(8, split.Test[1].Target);
    }

    [Fact]
    public void HistoriesAreCappedToTheMostRecentItems()
    {
        var dataset = Fixtures.Histories(30, Enumerable.Range(0, 25).ToArray());

        var split = LeaveOneOutSplit.Create(dataset, historyCap: 4);

        Assert.Equal(23, split.Train[0].Length);
        Assert.Equal([19, 20, 21, 22], split.Validation[0].History);
        Assert.Equal(23, split.Validation[0].Target);
        Assert.Equal([20, 21, 22, 23], split.Test[0].History);
        Assert.Equal(24, split.Test[0].Target);
        Assert.Equal(LeaveOneOutSplit.DefaultHistoryCap, LeaveOneOutSplit.Create(dataset).HistoryCap);
        Assert.Equal(20, LeaveOneOutSplit.Create(dataset).Test[0].History.Length);
    }

    [Fact]
    public void NothingHeldOutLeaksIntoTraining()
    {
        var dataset = Fixtures.Histories(50, [1, 2, 3, 4, 5, 6], [7, 8, 9], [10, 11, 12, 13]);
        var split = LeaveOneOutSplit.Create(dataset, historyCap: 2);

        foreach (var sample in split.TrainingSamples())
        {
            var user = dataset.Users[sample.UserId].Interactions;
            Assert.True(sample.TargetIndex < user.Count - 2, "a training target must come before the validation item");
            Assert.Equal(user[sample.TargetIndex].ItemId, sample.Target);
        }
        Assert.Equal(split.TrainingSampleCount, split.TrainingSamples().Count);
        Assert.Equal((6 - 2 - 1) + (3 - 2 - 1) + (4 - 2 - 1), split.TrainingSampleCount);
    }
}
