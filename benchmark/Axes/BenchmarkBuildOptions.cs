using Mender.Recommender.Data;

namespace Mender.Benchmark.Axes;

/// <summary>Settings of a benchmark build; all of them go into the manifest.</summary>
public sealed record BenchmarkBuildOptions
{
    /// <summary>Seeds the choice of users when <see cref="MaxSamples"/> limits them and the choice among equally paired users.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>At most this many test cases feed the axes (0 = every matched test case).</summary>
    public int MaxSamples { get; init; }

    public int HistoryCap { get; init; } = LeaveOneOutSplit.DefaultHistoryCap;

    /// <summary>Catalogue items a positive form is compared with before the user's own items are set aside.</summary>
    public int SentimentCandidates { get; init; } = 64;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxSamples, nameof(MaxSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(HistoryCap, 1, nameof(HistoryCap));
        ArgumentOutOfRangeException.ThrowIfLessThan(SentimentCandidates, 1, nameof(SentimentCandidates));
    }
}
