using Mender.Data;
using Mender.Recommender.Baselines;
using Mender.Recommender.Evaluation;

namespace Mender.Recommender.Tests.Evaluation;

public class LeaveOneOutEvaluatorTests
{
    private sealed class FixedLists(int[][] lists) : IRecommender
    {
        private int next;
        public string Name => "fixed";

        public int[][] Recommend(IReadOnlyList<TrainingSample> cases, int k)
        {
            var part = lists.Skip(next).Take(cases.Count).ToArray();
            next += cases.Count;
            return part;
        }
    }

    private static Dataset Catalogue(int items, int users) => new("t",
        Enumerable.Range(0, items).Select(i => new Item(i, $"i{i}", $"item {i}")).ToArray(),
        Enumerable.Range(0, users).Select(u => new User(u, $"u{u}", [])).ToArray());

    [Fact]
    public void MetricsMatchHandComputedValues()
    {
        var data = Catalogue(20, 4);
        var cases = new[]
        {
            new TrainingSample(0, [1], 3),   // rank 0
            new TrainingSample(1, [1], 7),   // rank 6
            new TrainingSample(2, [1], 15),  // absent
            new TrainingSample(3, [1], 4),   // rank 4
        };
        var lists = new[]
        {
            new[] { 3, 1, 2, 4, 5, 6, 7, 8, 9, 10 },
            new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 },
            new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 },
            new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 },
        };
        var result = LeaveOneOutEvaluator.Evaluate(new FixedLists(lists), data, cases, batchSize: 3);
        Assert.Equal(4, result.Users);
        Assert.Equal(2.0 / 4, result.RecallAt5, 12);
        Assert.Equal(3.0 / 4, result.RecallAt10, 12);
        Assert.Equal((1.0 + 1 / Math.Log2(6)) / 4, result.NdcgAt5, 12);
        Assert.Equal((1.0 + 1 / Math.Log2(8) + 1 / Math.Log2(6)) / 4, result.NdcgAt10, 12);
        Assert.Equal(new[] { 0, 6, -1, 4 }, result.PerUser.Select(u => u.Rank));
        Assert.Equal("i7", result.PerUser[1].Target);
        Assert.Equal("u2", result.PerUser[2].User);
    }

    [Fact]
    public void PerUserResultsExportAsJsonLines()
    {
        var data = Catalogue(12, 2);
        var cases = new[] { new TrainingSample(0, [1], 3), new TrainingSample(1, [2], 11) };
        var result = LeaveOneOutEvaluator.Evaluate(new FixedLists([[3, 1], [1, 2]]), data, cases);
        var path = Path.Combine(Path.GetTempPath(), $"mender-eval-{Guid.NewGuid():N}.jsonl");
        try
        {
            result.ExportJsonl(path);
            var lines = File.ReadAllLines(path);
            Assert.Equal(2, lines.Length);
            Assert.Equal("""{"user":"u0","target":"i3","rank":0,"recommended":["i3","i1"]}""", lines[0]);
            Assert.Contains("\"rank\":-1", lines[1]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MostPopularRanksByTrainingCountsWithTiesToLowerIds()
    {
        var popular = new MostPopular(6, [[5, 5, 2], [2, 5, 1], [3, 1]]);
        var lists = popular.Recommend([new TrainingSample(0, [1], 2)], 4);
        Assert.Equal(new[] { 5, 1, 2, 3 }, lists[0]);
    }

    [Fact]
    public void SubsetIsEvenlySpaced()
    {
        var cases = Enumerable.Range(0, 10).Select(i => new TrainingSample(i, [], 0)).ToArray();
        Assert.Equal(new[] { 0, 2, 5, 7 }, LeaveOneOutEvaluator.Subset(cases, 4).Select(c => c.UserId));
        Assert.Same(cases, LeaveOneOutEvaluator.Subset(cases, 0));
    }
}
