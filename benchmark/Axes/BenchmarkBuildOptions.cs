using Mender.Data;

namespace Mender.Benchmark.Axes;

/// <summary>Settings of a benchmark build; all of them go into the manifest.</summary>
public sealed record BenchmarkBuildOptions
{
    /// <summary>Seeds the choice of users when <see cref="MaxSamples"/> limits them and the choice among equally paired users.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>At most this many test cases feed the axes (0 = every matched test case).</summary>
    public int MaxSamples { get; init; }

    /// <summary>At most this many of the latest history items go into a sample.</summary>
    public int HistoryCap { get; init; } = LeaveOneOutSplit.DefaultHistoryCap;

    /// <summary>
    /// Sentiment samples need a matched preference at least this close (cosine) to the item, so that the preference is
    /// about the item and turning it round should move it.
    /// </summary>
    public float SentimentMinSimilarity { get; init; } = 0.25f;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a setting is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxSamples, nameof(MaxSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(HistoryCap, 1, nameof(HistoryCap));
        if (!(SentimentMinSimilarity is >= -1 and <= 1)) throw new ArgumentOutOfRangeException(nameof(SentimentMinSimilarity), $"{SentimentMinSimilarity} is not a cosine");
    }
}
