namespace Mender.Preference.Extraction;

/// <summary>
/// Writes a user's preferences from a review window. Implementations: the LLM-backed <see cref="ChatPreferenceExtractor"/>
/// (any <c>IChatClient</c>) and the built-in lexicon extractor. Each call is one attempt; the job retries failed attempts.
/// </summary>
public interface IPreferenceExtractor
{
    /// <summary>Recorded with every stored row, e.g. <c>builtin-lexicon-v1</c>.</summary>
    string Name { get; }

    /// <summary>The model behind the extractor, when there is one.</summary>
    string? Model { get; }

    /// <summary>True when a repeated attempt would give the same answer, so a failure is final at once.</summary>
    bool IsDeterministic { get; }

    /// <summary>
    /// True when <paramref name="prompt"/> leaves the model room to answer; the job shortens prompts that do not fit
    /// (an extractor without a context limit says yes to everything).
    /// </summary>
    bool Fits(string prompt);

    /// <param name="window">The reviewed items, oldest first.</param>
    /// <param name="prompt">The rendered extraction prompt for the window.</param>
    /// <param name="attempt">1 for the first try; later tries may sample differently.</param>
    /// <param name="cancellationToken">Stops the extraction.</param>
    Task<ExtractionAttempt> ExtractAsync(ReviewWindow window, string prompt, int attempt, CancellationToken cancellationToken);
}
