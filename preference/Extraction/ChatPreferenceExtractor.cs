using System.Globalization;
using System.Text;
using Mender.Llm.Adapters;
using Mender.Preference.Prompts;
using Mender.Preference.Sentiment;
using Microsoft.Extensions.AI;

namespace Mender.Preference.Extraction;

/// <summary>
/// Extracts preferences with any <see cref="IChatClient"/>: the extraction prompt under a JSON-schema response format,
/// then the sentiment prompt for the preferences it wrote. The first attempt decodes greedily; retries sample (with a
/// seed per attempt) so that a malformed answer is not simply repeated. When the sentiment prompt gives no usable
/// answer after its own retries, the lexicon decides and the row records that.
/// </summary>
public sealed class ChatPreferenceExtractor(IChatClient client, PromptLibrary prompts, string? model = null, int maxPreferences = 5) : IPreferenceExtractor
{
    /// <summary>Recorded with every row this extractor writes: preferences from the extraction prompt, sentiments from the sentiment prompt.</summary>
    public const string ExtractorName = "llm-json-v1";

    /// <summary>Recorded as the source of sentiments decided by the sentiment prompt.</summary>
    public const string PromptSentimentSource = "prompt";

    private const int SentimentAttempts = 2;
    private const int ExtractionTokens = 512;
    private const int SentimentTokens = 96;

    /// <inheritdoc/>
    public string Name => ExtractorName;

    /// <inheritdoc/>
    public string? Model { get; } = model ?? client.GetService<ChatClientMetadata>()?.DefaultModelId;

    /// <inheritdoc/>
    public bool IsDeterministic => false;

    private readonly IPromptBudget? budget = client.GetService<IPromptBudget>();

    /// <inheritdoc/>
    public bool Fits(string prompt) =>
        budget is null || budget.CountTokens([new ChatMessage(ChatRole.User, prompt)]) + ExtractionTokens <= budget.ContextLength;

    /// <inheritdoc/>
    public async Task<ExtractionAttempt> ExtractAsync(ReviewWindow window, string prompt, int attempt, CancellationToken cancellationToken)
    {
        long input = 0, output = 0;
        var brands = window.Entries.Select(e => e.Item.Brand).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        string reply;
        try
        {
            var response = await client.GetResponseAsync(
                [new ChatMessage(ChatRole.User, prompt)],
                Options(PreferenceJson.ExtractionSchema(maxPreferences), "preferences", ExtractionTokens, attempt),
                cancellationToken).ConfigureAwait(false);
            (input, output) = Count(response, input, output);
            reply = response.Text;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Bad arguments, unusable schemas and damaged models fail again the same way: no retry is spent on them.
            var certain = ex is ArgumentException or InvalidDataException or NotSupportedException;
            return ExtractionAttempt.Failure($"model error: {ex.GetType().Name}: {ex.Message}", input, output, retryable: !certain);
        }

        var texts = PreferenceJson.ParsePreferences(reply, maxPreferences, brands, out var error);
        if (texts is null) return ExtractionAttempt.Failure(error!, input, output);

        var sentimentPrompt = prompts.Sentiment.Render(new Dictionary<string, string> { ["preferences"] = Numbered(texts) });
        for (var sentimentAttempt = 1; sentimentAttempt <= SentimentAttempts; sentimentAttempt++)
        {
            IReadOnlyList<PreferenceSentiment>? sentiments;
            try
            {
                var response = await client.GetResponseAsync(
                    [new ChatMessage(ChatRole.User, sentimentPrompt)],
                    Options(PreferenceJson.SentimentSchema(texts.Count), "sentiments", SentimentTokens, sentimentAttempt),
                    cancellationToken).ConfigureAwait(false);
                (input, output) = Count(response, input, output);
                sentiments = PreferenceJson.ParseSentiments(response.Text, texts.Count, out _);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                sentiments = null;
            }
            if (sentiments is not null)
                return ExtractionAttempt.Success(texts.Select((t, i) => new UserPreference(t, sentiments[i])).ToList(), PromptSentimentSource, input, output);
        }
        return ExtractionAttempt.Success(
            texts.Select(t => new UserPreference(t, LexiconSentimentClassifier.Classify(t))).ToList(),
            LexiconSentimentClassifier.Source, input, output);
    }

    private ChatOptions Options(System.Text.Json.JsonElement schema, string name, int maxTokens, int attempt) => new()
    {
        ModelId = Model,
        ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, name),
        MaxOutputTokens = maxTokens,
        Temperature = attempt == 1 ? 0f : 0.7f,
        Seed = attempt,
    };

    private static (long Input, long Output) Count(ChatResponse response, long input, long output) =>
        (input + (response.Usage?.InputTokenCount ?? 0), output + (response.Usage?.OutputTokenCount ?? 0));

    private static string Numbered(IReadOnlyList<string> texts)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < texts.Count; i++)
            builder.Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append(". ").Append(texts[i]).Append('\n');
        return builder.ToString().TrimEnd('\n');
    }
}
