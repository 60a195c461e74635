namespace Mender.Data;

/// <summary>
/// The leave-one-out split of sequential recommendation (SASRec, TIGER, Mender): in each user's chronological history the
/// last item is the test target, the second-to-last the validation target, and the rest is for training. Validation
/// sees the training items as history; test sees those plus the validation item. Histories are capped to the most recent
/// <see cref="HistoryCap"/> items. Users with fewer than three interactions have no held-out items: their whole history
/// trains.
/// </summary>
public sealed class LeaveOneOutSplit
{
    /// <summary>Histories keep their 20 most recent items unless told otherwise.</summary>
    public const int DefaultHistoryCap = 20;

    private LeaveOneOutSplit(Dataset dataset, int historyCap, int[][] train, TrainingSample[] validation, TrainingSample[] test, int shortUsers)
    {
        Dataset = dataset;
        HistoryCap = historyCap;
        Train = train;
        Validation = validation;
        Test = test;
        UsersWithoutHeldOut = shortUsers;
    }

    /// <summary>The dataset split.</summary>
    public Dataset Dataset { get; }

    /// <summary>The most recent items a history keeps.</summary>
    public int HistoryCap { get; }

    /// <summary>Per user (indexed by user id): the item ids of the training part, oldest first, uncapped.</summary>
    public IReadOnlyList<int[]> Train { get; }

    /// <summary>One case per user with at least three interactions, in user order.</summary>
    public IReadOnlyList<TrainingSample> Validation { get; }

    /// <summary>One case per user with at least three interactions, in user order.</summary>
    public IReadOnlyList<TrainingSample> Test { get; }

    /// <summary>Users with fewer than three interactions, who have no validation or test case.</summary>
    public int UsersWithoutHeldOut { get; }

    /// <summary>Splits <paramref name="dataset"/>, capping histories at <paramref name="historyCap"/> items.</summary>
    public static LeaveOneOutSplit Create(Dataset dataset, int historyCap = DefaultHistoryCap)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(historyCap, 1);
        var train = new int[dataset.Users.Count][];
        var validation = new List<TrainingSample>(dataset.Users.Count);
        var test = new List<TrainingSample>(dataset.Users.Count);
        var shortUsers = 0;
        foreach (var user in dataset.Users)
        {
            var history = user.Interactions;
            var n = history.Count;
            var items = new int[n];
            for (var t = 0; t < n; t++) items[t] = history[t].ItemId;
            if (n < 3)
            {
                train[user.Id] = items;
                shortUsers++;
                continue;
            }
            train[user.Id] = items[..(n - 2)];
            validation.Add(new TrainingSample(user.Id, Recent(items, n - 2, historyCap), items[n - 2]) { TargetIndex = n - 2 });
            test.Add(new TrainingSample(user.Id, Recent(items, n - 1, historyCap), items[n - 1]) { TargetIndex = n - 1 });
        }
        return new LeaveOneOutSplit(dataset, historyCap, train, validation.ToArray(), test.ToArray(), shortUsers);
    }

    /// <summary>The sliding-window training samples of the training part, with this split's history cap.</summary>
    public List<TrainingSample> TrainingSamples() => SlidingWindow.Samples(Train, HistoryCap);

    /// <summary>Sliding-window training samples the training sequences give.</summary>
    public long TrainingSampleCount => SlidingWindow.Count(Train);

    private static int[] Recent(int[] items, int end, int cap) => items[Math.Max(0, end - cap)..end];
}
