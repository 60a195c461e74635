namespace Mender.Preference.Extraction;

/// <summary>
/// A snapshot of a running extraction. <see cref="Total"/> counts the prompts this run must send (finished rows of
/// earlier runs excluded, see <see cref="Resumed"/>); the counters are for this run.
/// </summary>
public sealed record ExtractionProgress(
    int Total,
    int Resumed,
    int Completed,
    int Failed,
    long InputTokens,
    long OutputTokens,
    TimeSpan Elapsed)
{
    /// <summary>Steps finished so far, whether they succeeded or failed.</summary>
    public int Done => Completed + Failed;

    /// <summary>Finished steps per second of elapsed time.</summary>
    public double PromptsPerSecond => Elapsed.TotalSeconds > 0 ? Done / Elapsed.TotalSeconds : 0;

    /// <summary>Model tokens, read and generated, per second of elapsed time.</summary>
    public double TokensPerSecond => Elapsed.TotalSeconds > 0 ? (InputTokens + OutputTokens) / Elapsed.TotalSeconds : 0;

    /// <summary>Time left at the rate so far; null before the first prompt finishes.</summary>
    public TimeSpan? Remaining => Done == 0 ? null : TimeSpan.FromSeconds((Total - Done) / PromptsPerSecond);
}

/// <summary>The outcome of an extraction run over the whole plan (rows finished by earlier runs included).</summary>
public sealed record ExtractionSummary(
    int Prompts,
    int Resumed,
    int Completed,
    int Failed,
    string Extractor,
    string? Model,
    long InputTokens,
    long OutputTokens,
    TimeSpan Elapsed,
    string Store,
    int Fitted)
{
    /// <summary>Prompts this run sent.</summary>
    public int RanNow => Prompts - Resumed;
}
