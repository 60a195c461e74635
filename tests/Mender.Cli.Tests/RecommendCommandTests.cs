namespace Mender.Cli.Tests;

[Collection(TrainedDemoRun.Collection)]
public sealed class RecommendCommandTests(TrainedDemoRun run)
{
    [Fact]
    public void DirectModePrintsItemsWithReasonsAsJson()
    {
        var result = CliRunner.RunIn(run.Root, "recommend", "--checkpoint", run.Checkpoint, "--user", "U00001", "-k", "4",
            "--preference", "fragrance-free moisturizer", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var json = result.Json();
        Assert.Equal("mender", json.GetProperty("mode").GetString());
        Assert.Equal("fragrance-free moisturizer", json.GetProperty("preference").GetString());
        Assert.False(json.TryGetProperty("reasoning", out _));
        var items = json.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(4, items.Length);
        Assert.All(items, item =>
        {
            Assert.StartsWith("D", item.GetProperty("item").GetString());
            Assert.Equal(4, item.GetProperty("sid").GetArrayLength());
            Assert.False(string.IsNullOrWhiteSpace(item.GetProperty("reason").GetString()));
            Assert.False(item.GetProperty("cold_start").GetBoolean());
        });
    }

    [Fact]
    public void TheTurnsOfAConversationAreCombinedIntoThePreference()
    {
        var result = CliRunner.RunIn(run.Root, "recommend", "--checkpoint", run.Checkpoint, "--user", "U00001", "-k", "3",
            "--turn", "I love vanilla", "--turn", "actually, no vanilla", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("avoids vanilla", result.Json().GetProperty("preference").GetString());
        var both = CliRunner.RunIn(run.Root, "recommend", "--checkpoint", run.Checkpoint, "--user", "U00001", "--turn", "x", "--preference", "y");
        Assert.Equal(1, both.ExitCode);
        Assert.Contains("--preference or --turn, not both", both.Stderr);
    }

    [Fact]
    public void ATypedHistoryWorksWithoutAUserAndPrintsATable()
    {
        var result = CliRunner.RunIn(run.Root, "recommend", "--checkpoint", run.Checkpoint, "--history", "D00001,D00002", "--history", "D00003", "-k", "3");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("typed history", result.Stdout);
        Assert.Contains("(3 items in history, mender mode", result.Stdout);
    }

    [Theory]
    [InlineData("--user", "nobody", "user 'nobody'")]
    [InlineData("-k", "0", "k must be between")]
    [InlineData("--reasoning", null, "--reasoning needs --model")]
    public void BadRequestsExitWith1AndSayWhy(string option, string? value, string message)
    {
        var args = new List<string> { "recommend", "--checkpoint", run.Checkpoint, "--user", "U00001" };
        if (option == "--user") args.RemoveRange(3, 2);
        args.Add(option);
        if (value is not null) args.Add(value);
        var result = CliRunner.RunIn(run.Root, args.ToArray());
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Stderr);
    }

    [SharedFact]
    public void ReasoningStreamsTheThoughtToStderrAndReportsItInJson()
    {
        var model = SharedData.PathOf("models/tiny/stories260K.gguf");
        var human = CliRunner.RunIn(run.Root, "recommend", "--checkpoint", run.Checkpoint, "--user", "U00002", "-k", "3",
            "--reasoning", "--model", model, "--threads", "1");
        Assert.True(human.ExitCode == 0, human.Stderr);
        Assert.Contains("<think>", human.Stderr);
        Assert.Contains("Latent preferences:", human.Stderr);
        Assert.Contains("preference:", human.Stdout);

        var json = CliRunner.RunIn(run.Root, "recommend", "--checkpoint", run.Checkpoint, "--user", "U00002", "-k", "3",
            "--reasoning", "--model", model, "--threads", "1", "--json").Json();
        Assert.StartsWith("<think>\nEvidence:", json.GetProperty("reasoning").GetString());
        Assert.True(json.GetProperty("completion_tokens").GetInt32() > 0);
        Assert.Equal(3, json.GetProperty("items").GetArrayLength());
    }
}
