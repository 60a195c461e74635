using System.Runtime.Intrinsics.X86;

namespace Mender.Cli.Tests;

[Collection(TrainedDemoRun.Collection)]
public sealed class ResultsCommandTests(TrainedDemoRun run)
{
    [Fact]
    public void SavedEvaluationsRecordWhereTheyCameFromAndRenderIntoTheResultsTable()
    {
        var folder = Path.Combine(run.Root, "results-" + Guid.NewGuid().ToString("N")[..8]);
        var eval = CliRunner.RunIn(run.Root, "eval", run.Dataset, "--checkpoint", run.Checkpoint, "--limit", "40", "--save", Path.Combine(folder, "mender.json"), "--json");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        var popular = CliRunner.RunIn(run.Root, "eval", run.Dataset, "--baseline", "most-popular", "--save", Path.Combine(folder, "popular.json"));
        Assert.True(popular.ExitCode == 0, popular.Stderr);

        using var saved = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "mender.json")));
        var provenance = saved.RootElement.GetProperty("provenance");
        Assert.StartsWith("mender eval ", provenance.GetProperty("command").GetString());
        Assert.Contains("--limit 40", provenance.GetProperty("command").GetString());
        Assert.Equal(42UL, provenance.GetProperty("seeds").EnumerateObject().Single().Value.GetUInt64());
        Assert.True(provenance.GetProperty("wall_seconds").GetDouble() >= 0);
        Assert.Contains(Avx2.IsSupported ? "AVX" : "no AVX2", provenance.GetProperty("cpu").GetString());
        Assert.Equal(eval.Json().GetProperty("recall@10").GetDouble(), saved.RootElement.GetProperty("recall_at10").GetDouble());
        var training = Assert.Single(saved.RootElement.GetProperty("training").EnumerateArray());
        Assert.StartsWith("mender train ", training.GetProperty("provenance").GetProperty("command").GetString());
        Assert.Contains("--max-steps 30", training.GetProperty("provenance").GetProperty("command").GetString());
        Assert.Equal(30, training.GetProperty("steps").GetInt64());
        // The note written at the run's validation was replaced by the command's own ending.
        Assert.Equal("MaxSteps", training.GetProperty("stop_reason").GetString());
        Assert.True(training.GetProperty("provenance").GetProperty("wall_seconds").GetDouble() > 0);

        var table = CliRunner.RunIn(run.Root, "results", "table", folder);
        Assert.True(table.ExitCode == 0, table.Stderr);
        var rows = table.Stdout.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        Assert.Contains(rows, r => r.Contains("| most-popular | test | 1 |", StringComparison.Ordinal));
        var mender = Assert.Single(rows, r => r.Contains("| mender | test | 1 (seed 42) |", StringComparison.Ordinal));
        Assert.Contains(eval.Json().GetProperty("recall@10").GetDouble().ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), mender);
        Assert.Contains("| `mender train ", mender);
        Assert.Contains("`; `mender eval ", mender);

        var empty = CliRunner.RunIn(run.Root, "results", "table", run.Preferences);
        Assert.Equal(1, empty.ExitCode);
        Assert.Contains("no result files found", empty.Stderr);
    }

    [Fact]
    public void ABenchmarkRunRecordsItsCommandAndSeedsAndRendersTheFiveAxes()
    {
        var bench = Path.Combine(run.Root, "bench-" + Guid.NewGuid().ToString("N")[..8]);
        var build = CliRunner.RunIn(run.Root, "bench", "build", run.Dataset, "--preferences", run.Preferences, "--out", bench, "--max-samples", "30");
        Assert.True(build.ExitCode == 0, build.Stderr);
        var bench1 = CliRunner.RunIn(run.Root, "bench", "run", run.Dataset, "--bench", bench, "--checkpoint", run.Checkpoint);
        Assert.True(bench1.ExitCode == 0, bench1.Stderr);

        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(bench, "report.json")));
        var provenance = report.RootElement.GetProperty("provenance");
        Assert.StartsWith("mender bench run ", provenance.GetProperty("command").GetString());
        Assert.Equal(42UL, provenance.GetProperty("seeds").GetProperty(Path.GetFullPath(run.Checkpoint)).GetUInt64());
        var training = Assert.Single(report.RootElement.GetProperty("training").GetProperty(Path.GetFullPath(run.Checkpoint)).EnumerateArray());
        Assert.Contains("--max-steps 30", training.GetProperty("provenance").GetProperty("command").GetString());

        var table = CliRunner.RunIn(run.Root, "results", "table", bench);
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("Five axes on ", table.Stdout);
        var rows = table.Stdout.Split('\n');
        var mender = Assert.Single(rows, r => r.StartsWith("| mender | 1 (seed 42) | ", StringComparison.Ordinal));
        Assert.Contains("| `mender train ", mender);
        Assert.EndsWith($"`; `{provenance.GetProperty("command").GetString()}` |", mender);
        var popular = Assert.Single(rows, r => r.StartsWith("| most-popular | 1 | ", StringComparison.Ordinal));
        Assert.Contains("| `mender bench run ", popular);
        Assert.DoesNotContain("mender train", popular);
    }
}
