namespace Mender.Cli.Tests;

[Collection(TrainedDemoRun.Collection)]
public sealed class AgentCommandTests(TrainedDemoRun run)
{
    [SharedFact]
    public void EachMessageGetsAReplyAndEveryCallIsOneOfThePluginsFunctions()
    {
        // A model with a real chat template and tokenizer; its random weights say nothing sensible, but what they say
        // must still be a reply or a well-formed call of one of the plugin's functions.
        var model = Path.Combine(run.Root, "agent-qwen.gguf");
        if (!File.Exists(model))
            Assert.Equal(0, CliRunner.Run("llm", "make-random", "--arch", "qwen2", "--shape", "tiny", "--type", "q4_0",
                "--vocab-from", SharedData.PathOf("models/vocab/ggml-vocab-qwen2.gguf"), model).ExitCode);

        var result = CliRunner.RunIn(run.Root, "agent", "--model", model, "--checkpoint", run.Checkpoint, "--threads", "1", "--max-tokens", "96",
            "--ask", "Something for dry skin, please.", "--ask", "No fragrance.", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var turns = result.Json().GetProperty("turns").EnumerateArray().ToList();
        Assert.Equal(["Something for dry skin, please.", "No fragrance."], turns.Select(t => t.GetProperty("message").GetString()));
        Assert.All(turns, t => Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("reply").GetString())));
        var functions = new[] { "mender_recommend", "mender_extract_preferences", "mender_explain", "mender_find_items" };
        Assert.All(turns.SelectMany(t => t.GetProperty("calls").EnumerateArray()), c => Assert.Contains(c.GetString(), functions));
    }

    [Fact]
    public void AModelThatIsNotThereIsAUserError()
    {
        var result = CliRunner.RunIn(run.Root, "agent", "--model", Path.Combine(run.Root, "missing.gguf"), "--checkpoint", run.Checkpoint, "--ask", "hi");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("missing.gguf", result.Stderr);
    }
}
