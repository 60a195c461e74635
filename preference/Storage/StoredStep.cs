namespace Mender.Preference.Storage;

/// <summary>The state of one (user, step) row of the preference store.</summary>
public enum StepStatus
{
    /// <summary>Claimed by a run that has not finished it; the next run redoes it.</summary>
    Running,
    /// <summary>Extracted; its preferences are stored.</summary>
    Completed,
    /// <summary>Produced no preferences after its attempts; the row keeps the error.</summary>
    Failed,
}

/// <summary>
/// One row of <c>preferences.db</c>. <see cref="Fitting"/> says how the prompt was shortened to fit the model's context
/// (reviews dropped, reviews cut), or is null when it was asked whole.
/// </summary>
public sealed record StoredStep(
    string User,
    int UserIndex,
    int Step,
    int WindowStart,
    StepStatus Status,
    IReadOnlyList<UserPreference> Preferences,
    string? SentimentBy,
    string Extractor,
    string? Model,
    string PromptHash,
    int Attempts,
    string? Error,
    long InputTokens,
    long OutputTokens,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    string? Fitting = null);
