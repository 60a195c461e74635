using Mender.Preference.Extraction;
using Mender.Service.Pipeline;

namespace Mender.Service.Tests.Pipeline;

public sealed class PreferenceSourceTests
{
    private static PreferenceSource Source(ScriptedChatClient client) =>
        new(new ChatThoughtModel(client, ChatThoughtModel.LoadPrompt(null)), client, null, null);

    private static readonly ReviewInput[] Reviews = [new("Rose Hand Cream", 1, "too strong", "The rose scent gave me a headache.")];

    [Fact]
    public async Task ExtractionRetriesAsTheBatchJobDoesThenTheLexiconAnswers()
    {
        var attempts = new ExtractionOptions().MaxAttempts;
        var client = new ScriptedChatClient([.. Enumerable.Repeat(new[] { "not json" }, attempts)]);
        using var source = Source(client);

        var extracted = await source.ExtractAsync(Reviews, CancellationToken.None);

        Assert.Equal(attempts, client.Prompts.Count);
        Assert.Equal("builtin-lexicon-v1", extracted.Extractor);
    }

    [Fact]
    public async Task AUsableAnswerIsTakenAndNamesTheModel()
    {
        var client = new ScriptedChatClient(
            ["""{"preferences": ["avoids strong rose scents"]}"""],
            ["""{"sentiments": ["negative"]}"""]);
        using var source = Source(client);

        var extracted = await source.ExtractAsync(Reviews, CancellationToken.None);

        Assert.Equal("avoids strong rose scents", Assert.Single(extracted.Preferences).Text);
        Assert.Equal("llm-json-v1 (scripted-model)", extracted.Extractor);
    }

    [Fact]
    public async Task WithoutAModelATypedPreferenceIsTakenAsItIs()
    {
        using var source = new PreferenceSource();
        var resolved = new ResolvedRequest(new RecommendationRequest { Preference = "likes tea" }, [], [], new HashSet<string>(), 4, "likes tea", null);

        var chosen = await source.ChooseAsync(resolved, null, CancellationToken.None);

        Assert.Equal("likes tea", chosen.Text);
        Assert.Null(chosen.Thought);
        Assert.Empty(chosen.Notes);
        Assert.False(source.CanReason);
    }
}
