namespace Mender.Cli.Tests;

[Collection(TrainedDemoRun.Collection)]
public sealed class ConversationBenchTests(TrainedDemoRun run)
{
    [Fact]
    public void TheScriptedConversationReportsEachTurnWithTheCombinedPreference()
    {
        var result = CliRunner.RunIn(run.Root, "bench", "conversation", run.Checkpoint, "--users", "6", "--k", "5", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var only = Assert.Single(result.Json().GetProperty("runs").EnumerateArray());
        Assert.Equal("mender", only.GetProperty("mode").GetString());
        Assert.Equal(6, only.GetProperty("users").GetInt32());
        var turns = only.GetProperty("turns").EnumerateArray().ToArray();
        Assert.Equal(
            ["something for sensitive skin", "something for sensitive skin; avoids fragrance",
             "something for sensitive skin; avoids fragrance; likes vanilla", "something for sensitive skin; avoids fragrance; likes vanilla; avoids body mist"],
            turns.Select(t => t.GetProperty("preference").GetString()));
        Assert.All(turns, t =>
        {
            foreach (var share in new[] { "before", "hit_rate", "overlap" })
                Assert.InRange(t.GetProperty(share).GetDouble(), 0, 1);
        });
        // What the last turn avoids is ranked last, and this world's lists are long enough to leave it out entirely.
        Assert.Equal(0, turns[^1].GetProperty("hit_rate").GetDouble());
    }

    [Fact]
    public void AScriptWithoutAMeasureIsRefusedNamingTheTurn()
    {
        var script = Path.Combine(run.Root, "bad-script.json");
        File.WriteAllText(script, """[{"say": "no glitter", "want": "fewer"}]""");

        var result = CliRunner.RunIn(run.Root, "bench", "conversation", run.Checkpoint, "--script", script);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("turn 1 names no items to measure", result.Stderr);
    }
}
