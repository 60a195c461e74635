namespace Mender.Data;

/// <summary>
/// Training samples as TIGER and Mender make them: for every user, every prefix of the training sequence predicts the
/// item after it, with the history capped to the last <c>historyCap</c> items. A sequence of n items gives n - 1 samples.
/// </summary>
public static class SlidingWindow
{
    /// <summary>Every prefix of each sequence with the item after it, histories capped at <paramref name="historyCap"/>.</summary>
    public static List<TrainingSample> Samples(IReadOnlyList<int[]> sequences, int historyCap)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        ArgumentOutOfRangeException.ThrowIfLessThan(historyCap, 1);
        var samples = new List<TrainingSample>(checked((int)Count(sequences)));
        for (var user = 0; user < sequences.Count; user++)
        {
            var sequence = sequences[user];
            for (var t = 1; t < sequence.Length; t++)
            {
                var start = Math.Max(0, t - historyCap);
                samples.Add(new TrainingSample(user, sequence[start..t], sequence[t]) { TargetIndex = t });
            }
        }
        return samples;
    }

    /// <summary>How many samples <see cref="Samples"/> makes, without making them.</summary>
    public static long Count(IReadOnlyList<int[]> sequences)
    {
        long count = 0;
        foreach (var sequence in sequences)
            count += Math.Max(0, sequence.Length - 1);
        return count;
    }
}
