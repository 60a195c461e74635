namespace Mender.Preference.Extraction;

/// <summary>The outcome of asking an extractor until it succeeds or gives up: the last attempt and what all of them cost.</summary>
public sealed record RetriedExtraction(ExtractionAttempt Last, int Attempts, long InputTokens, long OutputTokens)
{
    /// <summary>True when the last attempt produced preferences.</summary>
    public bool Succeeded => Last.Succeeded;

    /// <summary>The last attempt's error, saying how many attempts were made when there was more than one.</summary>
    public string? Error => Last.Error is null || Attempts == 1 ? Last.Error : $"{Last.Error} (after {Attempts} attempts)";
}

/// <summary>
/// The one retry policy of preference extraction, shared by the batch job and the service: a deterministic extractor
/// is asked once, any other up to <c>maxAttempts</c> times, and a failure that is certain to repeat is not retried.
/// </summary>
public static class ExtractionRetry
{
    /// <summary>Runs the extractor on one window until it succeeds, the failure is not retryable, or the attempts run out.</summary>
    public static async Task<RetriedExtraction> RunAsync(IPreferenceExtractor extractor, ReviewWindow window, string prompt, int maxAttempts,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        var attempts = extractor.IsDeterministic ? 1 : maxAttempts;
        long input = 0, output = 0;
        for (var attempt = 1; ; attempt++)
        {
            var result = await extractor.ExtractAsync(window, prompt, attempt, cancellationToken).ConfigureAwait(false);
            input += result.InputTokens;
            output += result.OutputTokens;
            if (result.Succeeded || !result.Retryable || attempt == attempts) return new RetriedExtraction(result, attempt, input, output);
        }
    }
}
