using Mender.Benchmark.Axes;
using Mender.Data;
using Mender.Preference.Sentiment;

namespace Mender.Benchmark.Tests;

/// <summary>The invariants each axis promises, checked on a built demo benchmark.</summary>
public class AxisTests(DemoBench bench) : IClassFixture<DemoBench>
{
    private readonly Dictionary<int, TrainingSample> test = LeaveOneOutSplit.Create(bench.World.Dataset).Test.ToDictionary(c => c.UserId);

    private string External(int user) => bench.World.Dataset.Users[user].ExternalId;

    [Fact]
    public void PreferenceSamplesAreTheTestCasesWithTheirMatchedPreference()
    {
        var samples = bench.Set[BenchmarkAxis.Preference];
        Assert.True(samples.Count > test.Count * 8 / 10, $"only {samples.Count} of {test.Count} test cases have a preference");
        foreach (var s in samples)
        {
            var c = test[s.UserId];
            Assert.Equal(s.UserId, s.HistoryUserId);
            Assert.Equal(c.History, s.History);
            Assert.Equal(c.Target, s.Target);
            Assert.Equal(c.TargetIndex, s.Position);
            var step = bench.Table.At(External(s.UserId), s.Position - 1)!;
            Assert.Contains(Assert.Single(s.Preferences), step.Select(p => p.Text));
        }
    }

    [Theory]
    [InlineData(BenchmarkAxis.FineSteering)]
    [InlineData(BenchmarkAxis.CoarseSteering)]
    public void SteeringSwapsInAnotherUsersHistoryWhoseTargetIsTheDifferentPairedItem(BenchmarkAxis axis)
    {
        var samples = bench.Set[axis];
        Assert.Equal(bench.Set[BenchmarkAxis.Preference].Count, samples.Count);
        var own = bench.Set[BenchmarkAxis.Preference].ToDictionary(s => s.UserId);
        foreach (var s in samples)
        {
            Assert.NotEqual(s.UserId, s.HistoryUserId);
            var other = test[s.HistoryUserId];
            Assert.Equal(other.History, s.History);
            Assert.Equal(other.Target, s.PairedItem);
            Assert.NotEqual(s.Target, s.PairedItem);
            Assert.Equal(test[s.UserId].Target, s.Target);
            Assert.Equal(own[s.UserId].Preferences, s.Preferences);
        }
    }

    [Fact]
    public void FineSteeringPairsCloserItemsThanCoarseSteering()
    {
        var coarse = bench.Set[BenchmarkAxis.CoarseSteering].ToDictionary(s => s.UserId);
        var closer = 0;
        foreach (var fine in bench.Set[BenchmarkAxis.FineSteering])
        {
            Assert.True(fine.Similarity >= coarse[fine.UserId].Similarity);
            if (fine.Similarity > coarse[fine.UserId].Similarity) closer++;
        }
        Assert.True(closer > 0);
    }

    [Fact]
    public void EverySentimentSampleAsksTheUsersNextItemWithBothPolaritiesOfItsMatchedPreference()
    {
        var samples = bench.Set[BenchmarkAxis.Sentiment];
        var own = bench.Set[BenchmarkAxis.Preference].ToDictionary(s => s.UserId);
        Assert.True(samples.Count > 10, $"only {samples.Count} sentiment samples");
        foreach (var s in samples)
        {
            Assert.Empty(s.Preferences);
            Assert.Equal(test[s.UserId].Target, s.Target);
            Assert.Equal(test[s.UserId].History, s.History);
            Assert.Equal(PreferenceSentiment.Positive, LexiconSentimentClassifier.Classify(s.Positive!));
            Assert.Equal(PreferenceSentiment.Negative, LexiconSentimentClassifier.Classify(s.Negative!));
            Assert.True(s.Similarity >= new BenchmarkBuildOptions().SentimentMinSimilarity);
            var matched = Assert.Single(bench.Table.At(External(s.UserId), s.Position - 1)!, p => p.Text == Assert.Single(own[s.UserId].Preferences));
            var (stored, turned) = matched.Sentiment == PreferenceSentiment.Negative ? (s.Negative, s.Positive) : (s.Positive, s.Negative);
            Assert.Equal(matched.Text, stored);
            Assert.Equal(OppositeForm.For(matched), turned);
        }
        Assert.Contains(samples, s => s.Negative!.StartsWith(OppositeForm.NegativeVerb, StringComparison.Ordinal));
    }

    [Fact]
    public void ConsolidationGivesEveryPreferenceOfTheStep()
    {
        var samples = bench.Set[BenchmarkAxis.Consolidation];
        Assert.Equal(bench.Set[BenchmarkAxis.Preference].Count, samples.Count);
        foreach (var s in samples)
        {
            Assert.Equal(test[s.UserId].History, s.History);
            Assert.Equal(bench.Table.At(External(s.UserId), s.Position - 1)!.Select(p => p.Text), s.Preferences);
        }
        Assert.Contains(samples, s => s.Preferences.Count > 1);
    }

    [Fact]
    public void ManifestCountsTheSamples()
    {
        foreach (var axis in BenchmarkAxes.All)
            Assert.Equal(bench.Set[axis].Count, bench.Set.Manifest.Axes[axis.Name()]);
        Assert.Equal("demo", bench.Set.Manifest.Dataset);
        Assert.Equal(test.Count, bench.Set.Manifest.TestTargets);
    }
}
