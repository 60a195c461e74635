using System.Text.Json;
using Mender.Benchmark.Axes;
using Mender.Benchmark.Runs;
using Mender.Data;
using Mender.Recommender.Evaluation;

namespace Mender.Benchmark.Tests;

/// <summary>Running recommenders on the axes: the metrics, and the report files.</summary>
public class RunTests(DemoBench bench) : IClassFixture<DemoBench>
{
    [Fact]
    public async Task PopularityScoresAsLeaveOneOutEvaluationAndCannotFollowSentiment()
    {
        var dataset = bench.World.Dataset;
        var popularity = HistoryOnlyRecommender.Popularity(dataset);
        var report = await BenchmarkRunner.RunAsync(bench.Set, "demo", [popularity]);
        var scores = Assert.Single(report.Recommenders);
        Assert.Equal("most-popular", scores.Name);
        Assert.Equal(BenchmarkAxes.All.Select(a => a.Name()), scores.Axes.Select(a => a.Axis));

        var split = LeaveOneOutSplit.Create(dataset);
        var cases = bench.Set[BenchmarkAxis.Preference].Select(s => split.Test.Single(c => c.UserId == s.UserId)).ToList();
        var popular = new Recommender.Baselines.MostPopular(dataset.Items.Count, split.Train.Concat(split.Validation.Select(c => new[] { c.Target })));
        var expected = LeaveOneOutEvaluator.Evaluate(popular, dataset, cases);
        var preference = scores.Axes[0];
        Assert.Equal(expected.RecallAt10, preference.RecallAt10, 12);
        Assert.Equal(expected.NdcgAt5, preference.NdcgAt5, 12);

        var sentiment = scores.Axes.Single(a => a.Axis == "sentiment").Sentiment!;
        Assert.Equal(sentiment.PositiveRecallAt10, sentiment.NegativeRecallAt10);
        Assert.Equal(0, sentiment.CombinedAt10);
    }

    [Fact]
    public async Task SentimentCombinesBothPolarities()
    {
        var samples = new[] { Sentiment(3, "avoids glitter", "likes glitter"), Sentiment(5, "avoids lavender scents", "likes lavender scents") };
        var set = new BenchmarkSet(bench.Set.Manifest, new Dictionary<BenchmarkAxis, IReadOnlyList<BenchmarkSample>> { [BenchmarkAxis.Sentiment] = samples });
        // Follows the first sample's preference both ways, and recommends the second sample's item whatever it is told.
        var scripted = new Scripted(new Dictionary<string, int[]>
        {
            ["likes glitter"] = [9, 3],
            ["avoids glitter"] = [9, 8],
            ["likes lavender scents"] = [1, 2, 3, 4, 5],
            ["avoids lavender scents"] = [5],
        });
        var report = await BenchmarkRunner.RunAsync(set, "scripted", [scripted]);
        var axis = report.Recommenders[0].Axes.Single(a => a.Axis == "sentiment");
        var s = axis.Sentiment!;
        Assert.Equal(2, axis.Samples);
        Assert.Equal(1.0, s.PositiveRecallAt5);
        Assert.Equal(0.5, s.NegativeRecallAt5);
        Assert.Equal(0.5, s.CombinedAt5);
        Assert.Equal(0.5, s.CombinedAt10);
        Assert.Equal((1 / Math.Log2(3) + 1 / Math.Log2(6)) / 2, axis.NdcgAt5, 12);
        Assert.Equal(0, report.Recommenders[0].Axes.Single(a => a.Axis == "preference").Samples);
    }

    [Fact]
    public async Task SteeringCountsTheTargetAndThePairedItemApart()
    {
        BenchmarkSample Steer(string preference, int target, int paired) => new()
        {
            Axis = BenchmarkAxis.FineSteering, UserId = 0, Position = 1, HistoryUserId = 1, History = [0], Target = target,
            Preferences = [preference], PairedItem = paired,
        };
        var set = new BenchmarkSet(bench.Set.Manifest, new Dictionary<BenchmarkAxis, IReadOnlyList<BenchmarkSample>>
        {
            [BenchmarkAxis.FineSteering] = [Steer("a", 1, 3), Steer("b", 2, 4), Steer("c", 5, 6)],
        });
        var scripted = new Scripted(new Dictionary<string, int[]> { ["a"] = [3], ["b"] = [7, 2, 4], ["c"] = [] });
        var axis = (await BenchmarkRunner.RunAsync(set, "scripted", [scripted])).Recommenders[0].Axes.Single(a => a.Axis == "fine_steering");
        Assert.Equal(1 / 3.0, axis.RecallAt10, 12);
        Assert.Equal(2 / 3.0, axis.PairedRecallAt10!.Value, 12);
        Assert.Null(axis.Sentiment);
    }

    [Fact]
    public async Task ReportFilesAreWellFormed()
    {
        using var folder = new TempFolder();
        var report = await BenchmarkRunner.RunAsync(bench.Set, "demo", [HistoryOnlyRecommender.Popularity(bench.World.Dataset)]);
        ReportFiles.Write(report, folder.Path);

        using var json = JsonDocument.Parse(File.ReadAllText(folder.Sub(ReportFiles.JsonFile)));
        var recommender = json.RootElement.GetProperty("recommenders")[0];
        Assert.Equal("most-popular", recommender.GetProperty("name").GetString());
        Assert.Equal(5, recommender.GetProperty("axes").GetArrayLength());
        Assert.Equal(bench.Set[BenchmarkAxis.FineSteering].Count, recommender.GetProperty("axes")[1].GetProperty("samples").GetInt32());

        var html = File.ReadAllText(folder.Sub(ReportFiles.HtmlFile));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<table id=\"summary\">", html);
        Assert.Contains("<td>most-popular</td>", html);
        Assert.DoesNotContain("http", html);
        Assert.Equal(CountOf(html, "<table"), CountOf(html, "</table>"));
        Assert.Equal(6, CountOf(html, "<table"));

        var markdown = File.ReadAllText(folder.Sub(ReportFiles.MarkdownFile));
        Assert.Contains("| most-popular |", markdown);
        Assert.Contains("Fine-grained steering", markdown);

        var read = ReportFiles.Read(folder.Sub(ReportFiles.JsonFile));
        Assert.Equal(JsonSerializer.Serialize(report, BenchmarkFiles.Json), JsonSerializer.Serialize(read, BenchmarkFiles.Json));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static BenchmarkSample Sentiment(int item, string negative, string positive) => new()
    {
        Axis = BenchmarkAxis.Sentiment,
        UserId = 0,
        Position = 1,
        HistoryUserId = 0,
        History = [0],
        Target = item,
        Preferences = [],
        Negative = negative,
        Positive = positive,
    };

    private sealed class Scripted(Dictionary<string, int[]> lists) : IPreferenceRecommender
    {
        public string Name => "scripted";
        public string Source => "test";

        public Task<int[][]> RecommendAsync(IReadOnlyList<BenchmarkQuery> queries, int k, CancellationToken cancellation = default) =>
            Task.FromResult(queries.Select(q => lists[Assert.Single(q.Preferences)]).ToArray());
    }
}
