namespace Mender.Benchmark.Axes;

/// <summary>
/// One benchmark case, with dense ids. The preference and the target belong to user <see cref="UserId"/> (the target
/// is at <see cref="Position"/> in that user's history); the history is that of <see cref="HistoryUserId"/>, which
/// differs only on the steering axes. <see cref="Preferences"/> are the texts the recommender is given: one on the
/// preference and steering axes, all of the step's on consolidation, none on sentiment, whose two texts are
/// <see cref="Negative"/> and <see cref="Positive"/>.
/// </summary>
public sealed record BenchmarkSample
{
    /// <summary>The axis the case belongs to.</summary>
    public required BenchmarkAxis Axis { get; init; }
    /// <summary>The user whose preference and target the case tests.</summary>
    public required int UserId { get; init; }
    /// <summary>Where the target is in <see cref="UserId"/>'s history.</summary>
    public required int Position { get; init; }
    /// <summary>The user whose history the recommender is given; another user on the steering axes.</summary>
    public required int HistoryUserId { get; init; }
    /// <summary>The item ids the recommender is given, oldest first.</summary>
    public required int[] History { get; init; }
    /// <summary>The item the recommender should rank high (or, for a negative preference, keep out).</summary>
    public required int Target { get; init; }
    /// <summary>The preference texts the recommender is given.</summary>
    public required IReadOnlyList<string> Preferences { get; init; }

    /// <summary>Steering: the other user's target, paired with this one by item-text similarity.</summary>
    public int? PairedItem { get; init; }

    /// <summary>Steering: cosine of the target and the paired item; sentiment: cosine of the item and the matched preference (in positive form).</summary>
    public float? Similarity { get; init; }

    /// <summary>Sentiment: the negative version of the matched preference, which must keep <see cref="Target"/> out of the top-k.</summary>
    public string? Negative { get; init; }

    /// <summary>Sentiment: the positive version, which must bring <see cref="Target"/> into the top-k.</summary>
    public string? Positive { get; init; }
}
