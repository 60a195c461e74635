using System.Text.Json;
using Mender.Preference.Extraction;
using Mender.Preference.Prompts;
using Mender.Preference.Sentiment;
using Mender.Preference.Storage;
using Microsoft.Extensions.AI;

namespace Mender.Preference.Tests;

public class ChatExtractorTests
{
    private const string Valid = """{"preferences": ["prefers unscented lotions", "avoids glitter"]}""";
    private const string ValidSentiments = """{"sentiments": ["positive", "negative"]}""";

    private static async Task<StoredStep> RunOne(ScriptedChatClient client, int attempts = 3, int historyLength = 1)
    {
        using var folder = new TempFolder();
        var dataset = Fixtures.Dataset(users: 1, historyLength: historyLength);
        var library = PromptLibrary.Load();
        using var store = PreferenceStore.Open(folder.Path);
        var summary = await new ExtractionJob(dataset, new ChatPreferenceExtractor(client, library), library, new ExtractionOptions { MaxAttempts = attempts })
            .RunAsync(store);
        Assert.Equal(("llm-json-v1", "scripted-model"), (summary.Extractor, summary.Model));
        return store.Rows()[^1];
    }

    [Fact]
    public async Task MalformedOutputIsRetriedThenTheValidAnswerIsStored()
    {
        var client = new ScriptedChatClient(["Sure! Here are the preferences you asked for.", Valid], [ValidSentiments]);
        var row = await RunOne(client);
        Assert.Equal(StepStatus.Completed, row.Status);
        Assert.Equal(2, row.Attempts);
        Assert.Equal([new UserPreference("prefers unscented lotions", PreferenceSentiment.Positive), new UserPreference("avoids glitter", PreferenceSentiment.Negative)],
            row.Preferences);
        Assert.Equal(ChatPreferenceExtractor.PromptSentimentSource, row.SentimentBy);
        Assert.Equal(("llm-json-v1", "scripted-model"), (row.Extractor, row.Model));
        Assert.True(row.InputTokens > 0 && row.OutputTokens > 0);

        var calls = client.Calls.ToArray();
        Assert.Equal(3, calls.Length);
        var format = Assert.IsType<ChatResponseFormatJson>(calls[0].Options!.ResponseFormat);
        var array = format.Schema!.Value.GetProperty("properties").GetProperty("preferences");
        Assert.Equal(("array", 1, 5), (array.GetProperty("type").GetString(), array.GetProperty("minItems").GetInt32(), array.GetProperty("maxItems").GetInt32()));
        Assert.Equal("string", array.GetProperty("items").GetProperty("type").GetString());
        Assert.Equal((0f, 0.7f), (calls[0].Options!.Temperature, calls[1].Options!.Temperature));
        Assert.Contains("Review: I love the lavender scent", calls[0].Prompt);
        var sentimentFormat = Assert.IsType<ChatResponseFormatJson>(calls[2].Options!.ResponseFormat);
        var sentiments = sentimentFormat.Schema!.Value.GetProperty("properties").GetProperty("sentiments");
        Assert.Equal((2, 2), (sentiments.GetProperty("minItems").GetInt32(), sentiments.GetProperty("maxItems").GetInt32()));
        Assert.Equal(["positive", "negative"], sentiments.GetProperty("items").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("1. prefers unscented lotions\n2. avoids glitter", calls[2].Prompt);
    }

    [Fact]
    public async Task OutputThatNeverParsesIsRecordedAsFailedWithTheReason()
    {
        var client = new ScriptedChatClient(["""{"preferences": "one string"}""", "{oops", ""], [ValidSentiments]);
        var row = await RunOne(client);
        Assert.Equal(StepStatus.Failed, row.Status);
        Assert.Equal(3, row.Attempts);
        Assert.Empty(row.Preferences);
        Assert.Equal("empty output: the model returned no text (after 3 attempts)", row.Error);
        Assert.Equal(3, client.Calls.Count);
    }

    [Theory]
    [InlineData("""{"preferences": []}""", "empty output: no preferences")]
    [InlineData("""{"likes": ["roses"]}""", "malformed output: no \"preferences\" array")]
    [InlineData("""{"preferences": [1, 2]}""", "malformed output: \"preferences\" holds a number, not a string")]
    [InlineData("""{"preferences": ["wants fast shipping", "likes low prices"]}""", "empty output: all 2 preference(s) named a brand or spoke of delivery or price")]
    public async Task EachKindOfBadOutputSaysWhy(string reply, string reason)
    {
        var row = await RunOne(new ScriptedChatClient([reply], [ValidSentiments]), attempts: 1);
        Assert.Equal(StepStatus.Failed, row.Status);
        Assert.Equal(reason, row.Error);
    }

    [Fact]
    public async Task BrandsDeliveryAndPriceAreDroppedFromGoodAnswers()
    {
        var reply = "```json\n" +
            """{"preferences": ["Loves Acmeglow lotions", "wants cheap shipping", "likes rose scents.", "likes rose scents", "  "]}""" +
            "\n```";
        var row = await RunOne(new ScriptedChatClient([reply], ["""{"sentiments": ["positive"]}"""]));
        Assert.Equal(StepStatus.Completed, row.Status);
        Assert.Equal([new UserPreference("likes rose scents", PreferenceSentiment.Positive)], row.Preferences);
    }

    [Fact]
    public async Task AnUnusableSentimentAnswerFallsBackToTheLexicon()
    {
        var client = new ScriptedChatClient([Valid], ["""{"sentiments": ["positive"]}""", "no idea"]);
        var row = await RunOne(client);
        Assert.Equal(StepStatus.Completed, row.Status);
        Assert.Equal(1, row.Attempts);
        Assert.Equal(LexiconSentimentClassifier.Source, row.SentimentBy);
        Assert.Equal([PreferenceSentiment.Positive, PreferenceSentiment.Negative], row.Preferences.Select(p => p.Sentiment));
        Assert.Equal(3, client.Calls.Count);
    }

    [Fact]
    public async Task ModelErrorsCountAsFailedAttempts()
    {
        var client = new ScriptedChatClient(["boom", Valid], [ValidSentiments]) { ThrowOn = "boom" };
        var row = await RunOne(client);
        Assert.Equal((StepStatus.Completed, 2), (row.Status, row.Attempts));

        var broken = await RunOne(new ScriptedChatClient(["boom"], [ValidSentiments]) { ThrowOn = "boom" }, attempts: 2);
        Assert.Equal("model error: InvalidOperationException: the model fell over (after 2 attempts)", broken.Error);
    }

    [Fact]
    public async Task AFailureCertainToRepeatIsNotRetried()
    {
        var client = new ScriptedChatClient(["boom"], [ValidSentiments]) { ThrowOn = "boom", Failure = () => new ArgumentException("the prompt does not fit") };
        var row = await RunOne(client, attempts: 3);
        Assert.Equal((StepStatus.Failed, 1), (row.Status, row.Attempts));
        Assert.Equal("model error: ArgumentException: the prompt does not fit", row.Error);
        Assert.Single(client.Calls);
    }

    [Fact]
    public async Task APromptTooLongForTheContextIsFittedAndTheRowSaysHow()
    {
        // The last step of a 12-review history; a context that takes the instructions and three reviews.
        var budget = new CharacterBudget(PromptLibrary.Load().Extraction.Render(new Dictionary<string, string> { ["reviews"] = "", ["max_preferences"] = "5" }).Length + 3 * 120);
        var client = new ScriptedChatClient([Valid], [ValidSentiments]) { Budget = budget };
        var row = await RunOne(client, historyLength: 12);
        Assert.Equal(StepStatus.Completed, row.Status);
        Assert.NotNull(row.Fitting);
        Assert.StartsWith("dropped the ", row.Fitting);
        var asked = client.Calls.First(c => c.Prompt.Contains("Product", StringComparison.Ordinal) && c.Prompt.Contains("\"preferences\"", StringComparison.Ordinal)).Prompt;
        Assert.True(budget.Fits(asked), $"the asked prompt has {asked.Length} characters");
    }

    /// <summary>A context counted in characters: a prompt fits when it leaves the extractor's 512 answer tokens.</summary>
    private sealed class CharacterBudget(int promptRoom) : Mender.Llm.Adapters.IPromptBudget
    {
        public int ContextLength => promptRoom + 512;

        public int CountTokens(IEnumerable<ChatMessage> messages, ChatOptions? options = null) => messages.Sum(m => m.Text.Length);

        public bool Fits(string prompt) => prompt.Length <= promptRoom;
    }

    [Fact]
    public async Task SeveralPromptsAreInFlightAtOnce()
    {
        using var folder = new TempFolder();
        var dataset = Fixtures.Dataset(users: 3, historyLength: 2);
        var client = new ScriptedChatClient([Valid], [ValidSentiments]) { HoldUntilInFlight = 3 };
        var library = PromptLibrary.Load();
        using var store = PreferenceStore.Open(folder.Path);
        var summary = await new ExtractionJob(dataset, new ChatPreferenceExtractor(client, library), library, new ExtractionOptions { Parallelism = 3 })
            .RunAsync(store);
        Assert.Equal((6, 6), (summary.Prompts, summary.Completed));
        Assert.True(client.MaxInFlight >= 3, $"at most {client.MaxInFlight} prompts were in flight together");
    }
}
