using Mender.Benchmark.Axes;
using Mender.Benchmark.Results;
using Mender.Benchmark.Runs;

namespace Mender.Benchmark.Tests;

public sealed class ResultsTableTests
{
    private static EvalRecord Run(string method, double recall10, ulong? seed, double wall = 90) =>
        new("beauty", method, "test", 100, recall10 / 2, recall10, recall10 / 4, recall10 / 3,
            new Provenance($"mender eval beauty --checkpoint runs/{method}", "abc123", DateTimeOffset.UnixEpoch, wall,
                seed is { } s ? new Dictionary<string, ulong> { [$"runs/{method}-{s}"] = s } : new Dictionary<string, ulong>(), 2, "Linux"));

    [Fact]
    public void RunsOfOneMethodAreOneRowWithMeanAndSampleStandardDeviation()
    {
        var markdown = ResultsTable.Markdown([Run("tiger", 0.06, 1), Run("tiger", 0.07, 2), Run("tiger", 0.08, 3), Run("most-popular", 0.01, null, 3)], []);

        var rows = markdown.Split('\n').Where(l => l.StartsWith("| beauty", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.StartsWith("| beauty | most-popular | test | 1 | 0.0050 | 0.0100 |", rows[0]);
        Assert.EndsWith("| 3.0 s | `mender eval beauty --checkpoint runs/most-popular` |", rows[0]);
        // Recall@10 0.06, 0.07, 0.08: mean 0.07, sample sd 0.01.
        Assert.StartsWith("| beauty | tiger | test | 3 (seeds 1, 2, 3) | 0.0350 ± 0.0050 | 0.0700 ± 0.0100 |", rows[1]);
        Assert.Contains("| 90.0 s |", rows[1]);
    }

    [Fact]
    public void ATrainedRowAddsItsTrainingCommandsWallTimesAndNamesEachCommandOnce()
    {
        TrainingRecord Train(double wall, long steps) => new(new Provenance("mender train beauty --mode tiger --max-minutes 40", "abc123",
            DateTimeOffset.UnixEpoch, wall, new Dictionary<string, ulong> { ["runs/tiger"] = 42 }, 2, "Linux"), steps, steps / 2, "TimeLimit");
        // An interrupted run resumed by the same command: two records, one command, both walls counted.
        var record = Run("tiger", 0.06, 42, wall: 30) with { Training = [Train(1200, 1000), Train(1230, 2000)] };

        var row = ResultsTable.Markdown([record], []).Split('\n').Single(l => l.StartsWith("| beauty", StringComparison.Ordinal));

        Assert.Contains("| 41 min | `mender train beauty --mode tiger --max-minutes 40`; `mender eval beauty --checkpoint runs/tiger` |", row);
    }

    [Fact]
    public void AFiveAxisRowAveragesItsSeedsTrainingAndBenchmarkTimesAndNamesItsCommands()
    {
        BenchmarkReport Report(ulong seed, double recall10, double trainWall, double benchSeconds)
        {
            var source = $"runs/mender-{seed}";
            var axes = BenchmarkAxes.All.Select(a => new AxisScore(a.Name(), 10, recall10 / 2, recall10, recall10 / 4, recall10 / 3)).ToList();
            var train = new TrainingRecord(new Provenance($"mender train beauty --mode mender --seed {seed}", "abc123", DateTimeOffset.UnixEpoch, trainWall,
                new Dictionary<string, ulong> { [source] = seed }, 2, "Linux"), 100, 50, "TimeLimit");
            return new BenchmarkReport("beauty", "bench", new BenchmarkManifest { Dataset = "beauty", Embedder = "lexical", Seed = 42 }, "",
                [new RecommenderScores("mender", source, axes, benchSeconds)])
            {
                Provenance = new Provenance($"mender bench run beauty --checkpoint {source}", "abc123", DateTimeOffset.UnixEpoch, benchSeconds + 5,
                    new Dictionary<string, ulong> { [source] = seed }, 2, "Linux"),
                Training = new Dictionary<string, IReadOnlyList<TrainingRecord>> { [source] = [train] },
            };
        }

        var markdown = ResultsTable.Markdown([], [Report(1, 0.04, 1140, 60), Report(2, 0.06, 1180, 100)]);

        var row = markdown.Split('\n').Single(l => l.StartsWith("| mender |", StringComparison.Ordinal));
        Assert.StartsWith("| mender | 2 (seeds 1, 2) | 0.0500 ± 0.0141 |", row);
        // (1140 + 60 + 1180 + 100) / 2 s.
        Assert.EndsWith("| 21 min | `mender train beauty --mode mender --seed 1`; `mender bench run beauty --checkpoint runs/mender-1` |", row);
    }

    [Fact]
    public void ResultFilesAreFoundInFoldersAndOtherJsonIsLeftAlone()
    {
        var folder = Directory.CreateTempSubdirectory("results-");
        try
        {
            Run("tiger", 0.06, 1).Write(Path.Combine(folder.FullName, "a", "tiger.json"));
            File.WriteAllText(Path.Combine(folder.FullName, "notes.json"), """{"kind": "something else"}""");
            File.WriteAllText(Path.Combine(folder.FullName, "broken.json"), "{");

            var error = Assert.Throws<InvalidDataException>(() => ResultsTable.Read([folder.FullName]));
            Assert.Contains("broken.json", error.Message);
            File.Delete(Path.Combine(folder.FullName, "broken.json"));
            var (evaluations, benchmarks) = ResultsTable.Read([folder.FullName]);

            Assert.Equal("tiger", Assert.Single(evaluations).Method);
            Assert.Empty(benchmarks);
            Assert.Throws<FileNotFoundException>(() => ResultsTable.Read([Path.Combine(folder.FullName, "missing")]));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
