namespace Mender.Recommender.Evaluation;

/// <summary>
/// Top-k metrics for leave-one-out evaluation, where each user has exactly one relevant item.
/// With one relevant item, Recall@k is a hit indicator and the ideal DCG is 1, so NDCG@k = 1 / log2(rank + 2) for a 0-based rank.
/// </summary>
public static class RankingMetrics
{
    /// <summary>0-based position of <paramref name="target"/> in <paramref name="ranked"/>, or -1 when absent.</summary>
    public static int RankOf(ReadOnlySpan<int> ranked, int target) => ranked.IndexOf(target);

    /// <summary>1 when the target is ranked within the first k, else 0.</summary>
    public static double RecallAt(int rank, int k) => rank >= 0 && rank < k ? 1.0 : 0.0;

    /// <summary>The discounted gain of a target at a zero-based rank, 0 when it is not within the first k.</summary>
    public static double NdcgAt(int rank, int k) => rank >= 0 && rank < k ? 1.0 / Math.Log2(rank + 2) : 0.0;

    /// <summary>
    /// NDCG@k for a ranked list against a set of relevant items (binary relevance), for evaluations with several relevant items.
    /// </summary>
    public static double NdcgAt(ReadOnlySpan<int> ranked, IReadOnlySet<int> relevant, int k)
    {
        if (relevant.Count == 0) return 0.0;
        double dcg = 0;
        var n = Math.Min(k, ranked.Length);
        for (var i = 0; i < n; i++)
            if (relevant.Contains(ranked[i]))
                dcg += 1.0 / Math.Log2(i + 2);
        double idcg = 0;
        for (var i = 0; i < Math.Min(k, relevant.Count); i++)
            idcg += 1.0 / Math.Log2(i + 2);
        return dcg / idcg;
    }

    /// <summary>Recall@k against a set of relevant items: the share of them found in the first k.</summary>
    public static double RecallAt(ReadOnlySpan<int> ranked, IReadOnlySet<int> relevant, int k)
    {
        if (relevant.Count == 0) return 0.0;
        var hits = 0;
        var n = Math.Min(k, ranked.Length);
        for (var i = 0; i < n; i++)
            if (relevant.Contains(ranked[i]))
                hits++;
        return (double)hits / relevant.Count;
    }
}
