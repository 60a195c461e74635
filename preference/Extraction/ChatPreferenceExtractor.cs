using Mender.Llm.Adapters;
using Mender.Preference.Sentiment;
using Microsoft.Extensions.AI;

namespace Mender.Preference.Extraction;

/// <summary>
/// Extracts preferences with any <see cref="IChatClient"/>: one prompt under a JSON-schema response format, whose answer
/// gives each preference with its sentiment, so a constrained decoder can only write preferences that parse and say
/// whether the shopper likes or avoids what they name. The first attempt decodes greedily; retries sample (with a seed
/// per attempt) so that a malformed answer is not simply repeated.
/// </summary>
public sealed class ChatPreferenceExtractor(IChatClient client, string? model = null, int maxPreferences = 5) : IPreferenceExtractor
{
    /// <summary>v2 writes the sentiments in the same answer as the preferences; v1 asked a second prompt for them.</summary>
    public const string ExtractorName = "llm-json-v2";

    /// <summary>Recorded as the source of sentiments the model decided.</summary>
    public const string PromptSentimentSource = "prompt";

    private const int ExtractionTokens = 512;

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
        var brands = window.Entries.Select(e => e.Item.Brand).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        ChatResponse response;
        try
        {
            response = await client.GetResponseAsync(
                [new ChatMessage(ChatRole.User, prompt)],
                new ChatOptions
                {
                    ModelId = Model,
                    ResponseFormat = ChatResponseFormat.ForJsonSchema(PreferenceJson.PreferencesSchema(maxPreferences), "preferences"),
                    MaxOutputTokens = ExtractionTokens,
                    Temperature = attempt == 1 ? 0f : 0.7f,
                    Seed = attempt,
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Bad arguments, unusable schemas and damaged models fail again the same way: no retry is spent on them.
            var certain = ex is ArgumentException or InvalidDataException or NotSupportedException;
            return ExtractionAttempt.Failure($"model error: {ex.GetType().Name}: {ex.Message}", retryable: !certain);
        }
        var (input, output) = (response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0);
        var preferences = PreferenceJson.ParsePreferences(response.Text, maxPreferences, brands, offTopic: true, out var error);
        return preferences is null
            ? ExtractionAttempt.Failure(error!, input, output)
            : ExtractionAttempt.Success(preferences, PromptSentimentSource, input, output);
    }
}
