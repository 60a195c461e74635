using Mender.Preference.Prompts;

namespace Mender.Service.Tests;

public sealed class ChatThoughtModelTests
{
    private static readonly PromptTemplate Continue = new("continue", "{{$prompt}}\n--\n{{$answer}}");

    private static async Task<(Continuation Result, string Streamed)> Run(string[] stops, params string[] pieces)
    {
        var model = new ChatThoughtModel(new ScriptedChatClient(pieces), Continue);
        var streamed = new System.Text.StringBuilder();
        var result = await model.ContinueAsync("P", "A:", 16, stops, t => streamed.Append(t), default);
        return (result, streamed.ToString());
    }

    [Fact]
    public async Task StopsAreEnforcedAndOnlyKeptTextStreams()
    {
        var (line, streamed) = await Run(["\n"], "bought ", "cre", "ams\nmore text");
        Assert.Equal("bought creams", line.Text);
        Assert.Equal(line.Text, streamed);

        var (split, splitStreamed) = await Run(["</think>"], "abc <", "/thi", "nk> more");
        Assert.Equal("abc ", split.Text);
        Assert.Equal("abc ", splitStreamed);

        var (undecided, undecidedStreamed) = await Run(["</think>"], "a <", "b");
        Assert.Equal("a <b", undecided.Text);
        Assert.Equal("a <b", undecidedStreamed);
        Assert.Equal((100, 2), (undecided.PromptTokens, undecided.GeneratedTokens));
    }

    [Fact]
    public async Task TheAnswerSoFarIsSentInsideTheContinuationPrompt()
    {
        var client = new ScriptedChatClient(["x"]);
        await new ChatThoughtModel(client, Continue).ContinueAsync("the prompt", "<think>\nEvidence:", 8, ["\n"], _ => { }, default);
        Assert.Equal("the prompt\n--\n<think>\nEvidence:", Assert.Single(client.Prompts));
    }

    [Fact]
    public void TheShippedContinuationPromptLoads() =>
        Assert.Equal(["answer", "prompt"], ChatThoughtModel.LoadPrompt(null).Placeholders);
}
