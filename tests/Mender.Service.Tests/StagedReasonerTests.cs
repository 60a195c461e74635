using Mender.Data;
using Mender.Preference.Prompts;

namespace Mender.Service.Tests;

public sealed class StagedReasonerTests
{
    /// <summary>Answers each call with the next scripted line and records what it was asked.</summary>
    private sealed class ScriptedModel(params string[] lines) : IThoughtModel
    {
        private int next;

        public List<(string Answer, int MaxTokens)> Calls { get; } = [];
        public string Name => "scripted";
        public int ContextLength { get; init; } = 4096;
        public int CountTokens(string prompt, string answerSoFar) => (prompt.Length + answerSoFar.Length) / 4;

        public Task<Continuation> ContinueAsync(string prompt, string answerSoFar, int maxTokens, IReadOnlyList<string> stops,
            Action<string> onText, CancellationToken cancellationToken)
        {
            Calls.Add((answerSoFar, maxTokens));
            var text = next < lines.Length ? lines[next++] : "";
            if (text.Length > 0) onText(text);
            return Task.FromResult(new Continuation(text, CountTokens(prompt, answerSoFar), text.Length == 0 ? 0 : maxTokens));
        }

        public void Dispose()
        {
        }
    }

    private static ReasoningPrompt Prompt() => new(new PromptTemplate("test", "Bought:\n{{$history}}\nAsks: {{$request}}\n"));

    private static readonly HistoryEntry[] History =
    [
        new(new Item(0, "A", "Calm Cream") { Attributes = ["fragrance-free"] }, new Interaction(0, 1, 5, "Lovely", "Soft and no scent.")),
        new(new Item(1, "B", "Glitter Gloss"), new Interaction(1, 2, 1, null, null)),
    ];

    [Fact]
    public async Task TheStagesAreWrittenByTheReasonerAndContinuedByTheModel()
    {
        var model = new ScriptedModel(" bought creams", " unscented things", " a new cream", " an unscented face cream");
        var streamed = new List<string>();
        var result = await new StagedReasoner(model, Prompt()).ThinkAsync(History, "cream", streamed.Add, default);

        Assert.Equal("<think>\nEvidence: bought creams\nLatent preferences: unscented things\nCurrent intent: a new cream\n</think>", result.Thought);
        Assert.Equal(result.Thought, string.Concat(streamed));
        Assert.Equal("an unscented face cream", result.Preference);
        Assert.False(result.FellBack);
        Assert.EndsWith("Evidence:", model.Calls[0].Answer);
        Assert.EndsWith("Current intent:", model.Calls[2].Answer);
        Assert.EndsWith("</think>\nPreference:", model.Calls[3].Answer);
    }

    [Fact]
    public async Task TheThoughtIsCappedInTokens()
    {
        var model = new ScriptedModel("x", "y", "z", "cream");
        await new StagedReasoner(model, Prompt()).ThinkAsync(History, null, _ => { }, default);
        Assert.Equal(StagedReasoner.ThoughtTokens, model.Calls.Take(3).Sum(c => c.MaxTokens));
        Assert.All(model.Calls.Take(3), c => Assert.True(c.MaxTokens <= StagedReasoner.StageTokens));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \"...\" ")]
    public async Task AnEmptyPreferenceFallsBackToTheTypedOne(string written)
    {
        var model = new ScriptedModel("", "", "", written);
        var result = await new StagedReasoner(model, Prompt()).ThinkAsync(History, " no fragrance ", _ => { }, default);
        Assert.True(result.FellBack);
        Assert.Equal("no fragrance", result.Preference);
        Assert.Contains("Latent preferences:", result.Thought);

        var none = await new StagedReasoner(new ScriptedModel(), Prompt()).ThinkAsync(History, null, _ => { }, default);
        Assert.True(none.FellBack);
        Assert.Null(none.Preference);
    }

    [Theory]
    [InlineData(" \"A gentle, unscented cream.\" ", "A gentle, unscented cream")]
    [InlineData("Preference: soft\tmatte   lipstick", "soft matte lipstick")]
    [InlineData(" ... ", null)]
    public void ThePreferenceLineIsCleaned(string written, string? expected) => Assert.Equal(expected, StagedReasoner.Clean(written));

    [Fact]
    public void ARamblingPreferenceIsCutToAFewWords() =>
        Assert.Equal(24, StagedReasoner.Clean(string.Join(' ', Enumerable.Repeat("word", 60)))!.Split(' ').Length);

    [Fact]
    public void ThePromptDropsTheOldestItemsToFitAndShowsRatingsAndReviews()
    {
        var prompt = Prompt();
        var full = prompt.Render(History, "cream", _ => true);
        Assert.Contains("- Calm Cream [fragrance-free], 5 stars: \"Lovely. Soft and no scent\"", full);
        Assert.Contains("- Glitter Gloss, 1 stars", full);
        var shorter = prompt.Render(History, "cream", p => p.Length < full.Length);
        Assert.DoesNotContain("Calm Cream", shorter);
        Assert.Contains("Glitter Gloss", shorter);
        Assert.Throws<InvalidOperationException>(() => prompt.Render(History, "cream", _ => false));
    }

    [Fact]
    public void TheShippedPromptHasThePlaceholders()
    {
        var prompt = ReasoningPrompt.Load(null);
        Assert.Contains("Latent preferences", prompt.Render(History, "cream", _ => true));
    }
}
