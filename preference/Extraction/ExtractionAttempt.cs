namespace Mender.Preference.Extraction;

/// <summary>The outcome of one extraction attempt: preferences with sentiment, or the reason it produced none.</summary>
public sealed record ExtractionAttempt
{
    private ExtractionAttempt(IReadOnlyList<UserPreference> preferences, string? error, string? sentimentBy, long inputTokens, long outputTokens)
    {
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

    public static ExtractionAttempt Success(IReadOnlyList<UserPreference> preferences, string sentimentBy, long inputTokens = 0, long outputTokens = 0)
    {
        if (preferences.Count == 0)
            throw new ArgumentException("a successful extraction has at least one preference", nameof(preferences));
        return new(preferences, null, sentimentBy, inputTokens, outputTokens);
    }

    public static ExtractionAttempt Failure(string error, long inputTokens = 0, long outputTokens = 0) =>
        new([], error, null, inputTokens, outputTokens);
}
