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

    /// <summary>The preferences read from the reviews; empty when the attempt failed.</summary>
    public IReadOnlyList<UserPreference> Preferences { get; }

    /// <summary>Why the attempt failed (malformed or empty output, an exception from the model); null on success.</summary>
    public string? Error { get; }

    /// <summary>What decided the sentiments: the sentiment prompt or the lexicon.</summary>
    public string? SentimentBy { get; }

    /// <summary>Prompt tokens the model read, for throughput and cost reports; 0 when unknown.</summary>
    public long InputTokens { get; }
    /// <summary>Tokens the model generated; 0 when unknown.</summary>
    public long OutputTokens { get; }

    /// <summary>True when the attempt produced preferences.</summary>
    public bool Succeeded => Error is null;

    /// <summary>False when another attempt is certain to fail the same way (a prompt that does not fit, a broken model).</summary>
    public bool Retryable { get; }

    /// <summary>An attempt that produced at least one preference.</summary>
    public static ExtractionAttempt Success(IReadOnlyList<UserPreference> preferences, string sentimentBy, long inputTokens = 0, long outputTokens = 0)
    {
        if (preferences.Count == 0)
            throw new ArgumentException("a successful extraction has at least one preference", nameof(preferences));
        return new(preferences, null, sentimentBy, inputTokens, outputTokens);
    }

    /// <summary>An attempt that produced nothing, with the reason and whether trying again can help.</summary>
    public static ExtractionAttempt Failure(string error, long inputTokens = 0, long outputTokens = 0, bool retryable = true) =>
        new([], error, null, inputTokens, outputTokens, retryable);
}
