namespace Mender.Preference.Extraction;

/// <summary>The outcome of one extraction attempt: preferences with sentiment, or the reason it produced none.</summary>
public sealed record ExtractionAttempt
{
    private ExtractionAttempt(IReadOnlyList<UserPreference> preferences, string? error, string? sentimentBy, long inputTokens, long outputTokens,
        bool retryable = true)
    {
        Retryable = retryable;
        Preferences = preferences;
        Error = error;
        SentimentBy = sentimentBy;
        InputTokens = inputTokens;
        OutputTokens = outputTokens;
    }

    public IReadOnlyList<UserPreference> Preferences { get; }

    /// <summary>Why the attempt failed (malformed or empty output, an exception from the model); null on success.</summary>
    public string? Error { get; }

    /// <summary>What decided the sentiments: the sentiment prompt or the lexicon.</summary>
    public string? SentimentBy { get; }

    public long InputTokens { get; }
    public long OutputTokens { get; }

    public bool Succeeded => Error is null;

    /// <summary>False when another attempt is certain to fail the same way (a prompt that does not fit, a broken model).</summary>
    public bool Retryable { get; }

    public static ExtractionAttempt Success(IReadOnlyList<UserPreference> preferences, string sentimentBy, long inputTokens = 0, long outputTokens = 0)
    {
        if (preferences.Count == 0)
            throw new ArgumentException("a successful extraction has at least one preference", nameof(preferences));
        return new(preferences, null, sentimentBy, inputTokens, outputTokens);
    }

    public static ExtractionAttempt Failure(string error, long inputTokens = 0, long outputTokens = 0, bool retryable = true) =>
        new([], error, null, inputTokens, outputTokens, retryable);
}
