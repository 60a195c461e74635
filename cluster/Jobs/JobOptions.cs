using System.Text.Json;
using Mender.Preference.Extraction;

namespace Mender.Cluster.Jobs;

/// <summary>
/// The settings that decide which prompts a job sends and what they say, stored with the job so that every silo asks
/// exactly what a single-process run with the same options would. Parallelism is not among them: it is each silo's own.
/// </summary>
public sealed record JobOptions(int MaxAttempts, int? LimitUsers, int HistoryLimit, int WindowSize, int MaxPreferences, int MaxReviewChars)
{
    /// <summary>The job settings of a run's extraction options.</summary>
    public static JobOptions From(ExtractionOptions options) => new(
        options.MaxAttempts, options.LimitUsers, options.Schedule.HistoryLimit, options.Schedule.WindowSize,
        options.MaxPreferences, options.MaxReviewChars);

    /// <summary>The extraction options a silo runs the job with, at its own parallelism.</summary>
    public ExtractionOptions ToExtraction(int parallelism) => new()
    {
        Parallelism = parallelism,
        MaxAttempts = MaxAttempts,
        LimitUsers = LimitUsers,
        Schedule = new ExtractionSchedule(HistoryLimit, WindowSize),
        MaxPreferences = MaxPreferences,
        MaxReviewChars = MaxReviewChars,
    };

    /// <summary>The settings as stored in the job's row.</summary>
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>The settings stored in the row of <paramref name="job"/>.</summary>
    public static JobOptions FromJson(string json, string job) =>
        JsonSerializer.Deserialize<JobOptions>(json) ?? throw new InvalidDataException($"job {job} has no options");
}
