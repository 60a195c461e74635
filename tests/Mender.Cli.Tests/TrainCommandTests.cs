using System.Text.Json;

namespace Mender.Cli.Tests;

/// <summary>`mender train` and `mender eval` on the small demo world of <see cref="TrainedDemoRun"/>: a few steps each.</summary>
[Collection(TrainedDemoRun.Collection)]
public sealed class TrainCommandTests(TrainedDemoRun run)
{
    private string Fresh(string name) => Path.Combine(run.Root, name + "-" + Guid.NewGuid().ToString("N")[..8]);

    private static void AssertMetrics(JsonElement json)
    {
        foreach (var key in new[] { "recall@5", "recall@10", "ndcg@5", "ndcg@10" })
        {
            var value = json.GetProperty(key).GetDouble();
            Assert.InRange(value, 0, 1);
        }
        Assert.True(json.GetProperty("recall@10").GetDouble() >= json.GetProperty("recall@5").GetDouble());
        Assert.True(json.GetProperty("users").GetInt32() > 0);
    }

    [Fact]
    public void TigerTrainingStopsAtMaxStepsThenEvaluatesAndAFinishedRunIsNotRetrained()
    {
        var directory = Fresh("tiger");
        var train = CliRunner.RunIn(run.Root, "train", run.Dataset, "--mode", "tiger", "--preset", "cpu", "--max-steps", "4",
            "--sids", Path.Combine(run.Checkpoint, "sids"), "--out", directory, "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        var trained = train.Json();
        Assert.Equal("tiger", trained.GetProperty("mode").GetString());
        Assert.Equal("MaxSteps", trained.GetProperty("stop_reason").GetString());
        Assert.Equal(4, trained.GetProperty("steps").GetInt64());
        Assert.False(trained.GetProperty("resumed").GetBoolean());

        var again = CliRunner.RunIn(run.Root, "train", run.Dataset, "--mode", "tiger", "--preset", "cpu", "--max-steps", "4",
            "--sids", Path.Combine(run.Checkpoint, "sids"), "--out", directory, "--json");
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.True(again.Json().GetProperty("resumed").GetBoolean());
        Assert.Equal(4, again.Json().GetProperty("steps").GetInt64());

        var eval = CliRunner.RunIn(run.Root, "eval", run.Dataset, "--checkpoint", directory, "--limit", "50", "--json");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        var metrics = eval.Json();
        AssertMetrics(metrics);
        Assert.Equal(50, metrics.GetProperty("users").GetInt32());
    }

    [Fact]
    public void WithoutAConfigTheRecipeFitsTheRunToTheBudgetAndAResumedRunKeepsItsSettings()
    {
        var directory = Fresh("recipe");
        string[] args = ["train", run.Dataset, "--mode", "tiger", "--max-minutes", "0.05", "--sids", Path.Combine(run.Checkpoint, "sids"), "--out", directory, "--json"];
        var train = CliRunner.RunIn(run.Root, args);
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.Contains("recipe: learning rate", train.Stderr);
        var training = train.Json().GetProperty("settings").GetProperty("config").GetProperty("training");
        var model = train.Json().GetProperty("settings").GetProperty("config").GetProperty("model");
        Assert.Equal(0.128 / model.GetProperty("model_dim").GetInt32(), training.GetProperty("learning_rate").GetDouble(), 5);

        var again = CliRunner.RunIn(run.Root, args);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("recorded when this run began", again.Stderr);
        Assert.Equal(training.GetProperty("max_steps").GetInt64(),
            again.Json().GetProperty("settings").GetProperty("config").GetProperty("training").GetProperty("max_steps").GetInt64());
    }

    [Fact]
    public void ASeedSetsWeightsAndBatchOrderAndARunBegunWithAnotherSeedIsNotResumedWithIt()
    {
        var directory = Fresh("seed");
        string[] args = ["train", run.Dataset, "--mode", "tiger", "--preset", "cpu", "--max-steps", "2", "--sids", Path.Combine(run.Checkpoint, "sids"), "--out", directory, "--json"];
        var train = CliRunner.RunIn(run.Root, [.. args, "--seed", "7"]);
        Assert.True(train.ExitCode == 0, train.Stderr);
        var config = train.Json().GetProperty("settings").GetProperty("config");
        Assert.Equal((7ul, 7ul), (config.GetProperty("model").GetProperty("seed").GetUInt64(), config.GetProperty("training").GetProperty("seed").GetUInt64()));

        var other = CliRunner.RunIn(run.Root, [.. args, "--seed", "8"]);
        Assert.NotEqual(0, other.ExitCode);
        Assert.Contains("began with seed 7", other.Stderr);
    }

    [Fact]
    public void SidsBuiltByTrainTakeTheCooccurrenceShareAndARunBuiltWithAnotherShareIsRefused()
    {
        var directory = Fresh("cooccurrence");
        string[] args = ["train", run.Dataset, "--mode", "tiger", "--preset", "cpu", "--max-steps", "1", "--out", directory, "--json"];
        var train = CliRunner.RunIn(run.Root, [.. args, "--cooccurrence", "0.5"]);
        Assert.True(train.ExitCode == 0, train.Stderr);
        var build = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "sids", "build.json"))).RootElement.GetProperty("settings");
        Assert.Contains("0.5", build.GetProperty("cooccurrence").GetString());

        var textOnly = CliRunner.RunIn(run.Root, [.. args, "--cooccurrence", "0"]);
        Assert.NotEqual(0, textOnly.ExitCode);
        Assert.Contains("other settings (different cooccurrence", textOnly.Stderr);

        var resumed = CliRunner.RunIn(run.Root, args);
        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
    }

    [Fact]
    public void BothModesBuildTheirSidsWithCooccurrenceByDefault()
    {
        foreach (var mode in new[] { "tiger", "mender" })
        {
            var directory = Fresh("default-sids-" + mode);
            string[] args = ["train", run.Dataset, "--mode", mode, "--preset", "cpu", "--max-steps", "1", "--out", directory, "--json"];
            var train = CliRunner.RunIn(run.Root, mode == "mender" ? [.. args, "--preferences", run.Preferences] : args);
            Assert.True(train.ExitCode == 0, train.Stderr);
            Assert.Contains("co-occurrence as 0.8", train.Stderr);
            var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "sids", "build.json"))).RootElement.GetProperty("settings");
            Assert.True(settings.TryGetProperty("cooccurrence", out var cooccurrence), $"{mode}: {settings}");
            Assert.Contains("0.8", cooccurrence.GetString());
        }
    }

    [Fact]
    public void ProgressToARedirectedStderrIsPlainLinesEvenWithoutNOCOLOR()
    {
        var train = CliRunner.RunInWithoutNoColor(run.Root, "train", run.Dataset, "--mode", "tiger", "--preset", "cpu", "--max-steps", "4",
            "--sids", Path.Combine(run.Checkpoint, "sids"), "--out", Fresh("plain"), "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        // One line per state, not wrapped at 80 columns: the step, loss and pace stay together.
        Assert.Matches(@"step 4/4 · loss [\d.]+ · [\d,]+ samples/s · [^\n]*: 100%", train.Stderr);
        Assert.DoesNotContain('\u001b', train.Stderr);
        Assert.DoesNotContain('\r', train.Stderr);
    }

    [Fact]
    public void MenderCheckpointEvaluatesWithItsPreferences()
    {
        var eval = CliRunner.RunIn(run.Root, "eval", run.Dataset, "--checkpoint", run.Checkpoint, "--json");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        AssertMetrics(eval.Json());
    }

    [Fact]
    public void SasrecTrainsForOneEpochAndEvaluates()
    {
        var directory = Fresh("sasrec");
        var train = CliRunner.RunIn(run.Root, "train", run.Dataset, "--mode", "sasrec", "--max-steps", "1", "--out", directory, "--json");
        Assert.True(train.ExitCode == 0, train.Stderr);
        Assert.Equal("sasrec", train.Json().GetProperty("mode").GetString());
        Assert.Equal("MaxSteps", train.Json().GetProperty("stop_reason").GetString());

        var eval = CliRunner.RunIn(run.Root, "eval", run.Dataset, "--checkpoint", directory, "--json");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        AssertMetrics(eval.Json());
    }

    [Fact]
    public void MostPopularBaselineNeedsNoCheckpoint()
    {
        var eval = CliRunner.RunIn(run.Root, "eval", run.Dataset, "--baseline", "most-popular", "--json");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        AssertMetrics(eval.Json());
    }

    [Fact]
    public void ADirectoryWithoutACheckpointExitsWith1()
    {
        var empty = Fresh("empty");
        Directory.CreateDirectory(empty);
        var eval = CliRunner.RunIn(run.Root, "eval", run.Dataset, "--checkpoint", empty, "--json");
        Assert.Equal(1, eval.ExitCode);
        Assert.Equal("", eval.Stdout.Trim());
        Assert.Contains(empty, eval.Stderr);

        var missing = CliRunner.RunIn(run.Root, "eval", run.Dataset, "--checkpoint", Path.Combine(empty, "nothing-here"), "--json");
        Assert.Equal(1, missing.ExitCode);
    }
}
