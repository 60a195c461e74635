namespace Mender.Recommender.Model;

/// <summary>
/// A training progress report after each step. <paramref name="Done"/> is the share of the run done by whichever limit
/// ends it first, steps or the time budget, as <paramref name="Eta"/> is the time left until then.
/// </summary>
public sealed record TrainProgress(
    long Step,
    long MaxSteps,
    double Done,
    float Loss,
    double SamplesPerSecond,
    TimeSpan Elapsed,
    TimeSpan Eta,
    double? ValidationNdcgAt10,
    double BestNdcgAt10,
    long BestStep);

/// <summary>Why training stopped.</summary>
public enum StopReason
{
    /// <summary>The step limit was reached.</summary>
    MaxSteps,
    /// <summary>Validation stopped improving for the configured patience.</summary>
    EarlyStopping,
    /// <summary>The time limit ran out; the run can be resumed.</summary>
    TimeLimit,
    /// <summary>The caller cancelled; the run can be resumed.</summary>
    Cancelled,
}

/// <summary>The outcome of a training run (or of its resumed continuation).</summary>
public sealed record TrainResult(
    StopReason Reason,
    long Steps,
    long BestStep,
    double BestNdcgAt10,
    bool Resumed,
    TimeSpan WallTime,
    IReadOnlyList<float> Losses);
