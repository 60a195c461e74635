using System.Text.Json.Nodes;

namespace Mender.Cli.Tests;

/// <summary>A checkpoint is used only with the catalogue it was trained on, which its recorded fingerprint tells.</summary>
[Collection(TrainedDemoRun.Collection)]
public sealed class CheckpointCatalogueTests(TrainedDemoRun run)
{
    [Fact]
    public async Task ACatalogueOfTheSameSizeWithOtherItemsIsRefused()
    {
        var other = Path.Combine(run.Root, "other-world-" + Guid.NewGuid().ToString("N")[..8]);
        var made = await InProcessCli.RunAsync("data", "generate-demo", "--items", "300", "--users", "200", "--seed", "7", "--out", other, "--json");
        Assert.True(made.ExitCode == 0, made.Stderr);

        var eval = await InProcessCli.RunAsync("eval", other, "--checkpoint", run.Checkpoint, "--limit", "5", "--json");

        Assert.Equal(1, eval.ExitCode);
        Assert.Contains("another catalogue", eval.Stderr);
        Assert.Equal("", eval.Stdout);
    }

    [Fact]
    public async Task ACheckpointFromBeforeFingerprintsStillEvaluates()
    {
        var copy = run.CopyCheckpoint();
        var configPath = Path.Combine(copy, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        Assert.True(config.Remove("Catalogue"), "the checkpoint should record its catalogue");
        File.WriteAllText(configPath, config.ToJsonString());

        var eval = await InProcessCli.RunAsync("eval", run.Dataset, "--checkpoint", copy, "--limit", "5", "--json");

        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.Equal(5, eval.Json().GetProperty("users").GetInt32());
    }
}
