namespace Mender.Benchmark.Runs;

/// <summary>
/// One recommender's result on one axis: mean Recall/NDCG at 5 and 10 of the target. On the sentiment axis these are
/// the figures with the positive preference, and <see cref="Sentiment"/> holds the rest.
/// </summary>
public sealed record AxisScore(string Axis, int Samples, double RecallAt5, double RecallAt10, double NdcgAt5, double NdcgAt10)
{
    /// <summary>Sentiment axis only: the figures with the negative preference and the combined ones; null elsewhere.</summary>
    public SentimentScore? Sentiment { get; init; }

    /// <summary>
    /// Steering: the share of samples whose top-10 holds the paired item, where the swapped-in history leads. High
    /// values with a low Recall@10 mean the recommender follows the history rather than the preference.
    /// </summary>
    public double? PairedRecallAt10 { get; init; }

    /// <summary>The figure a summary shows for the axis: combined@10 for sentiment, Recall@10 otherwise.</summary>
    public double Headline => Sentiment?.CombinedAt10 ?? RecallAt10;
}

/// <summary>
/// Sentiment following: the share of samples whose item is in the top-k with the positive preference, with the negative
/// one (lower is better), and both at once — in with the positive and out with the negative (the combined metric).
/// </summary>
public sealed record SentimentScore(
    double PositiveRecallAt5,
    double PositiveRecallAt10,
    double NegativeRecallAt5,
    double NegativeRecallAt10,
    double CombinedAt5,
    double CombinedAt10);

/// <summary>One recommender's results on every axis.</summary>
public sealed record RecommenderScores(string Name, string Source, IReadOnlyList<AxisScore> Axes, double Seconds);
