using Mender.Data;

namespace Mender.Recommender.Evaluation;

/// <summary>
/// Leave-one-out evaluation over the full catalogue: each case's target is ranked among all items (history items are not
/// excluded) by the recommender's top-10 list, and Recall/NDCG at 5 and 10 are averaged over cases.
/// </summary>
public static class LeaveOneOutEvaluator
{
    /// <summary>The cutoff of the reported Recall and NDCG.</summary>
    public const int TopK = 10;

    /// <summary>Scores a recommender on held-out next items: Recall@10 and NDCG@10 averaged over the cases.</summary>
    public static EvaluationResult Evaluate(IRecommender recommender, Dataset dataset, IReadOnlyList<TrainingSample> cases,
        int batchSize = 256, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellation = default) =>
        Score(dataset, cases, Recommend(recommender, cases, batchSize, progress, cancellation));

    /// <summary>
    /// The top-<see cref="TopK"/> list of each case, in batches of <paramref name="batchSize"/> cases. A slice of the cases
    /// that starts at a multiple of the batch size is recommended in the very batches the whole list is, so its lists are
    /// the whole list's, bit for bit (how a cluster shards an evaluation).
    /// </summary>
    public static int[][] Recommend(IRecommender recommender, IReadOnlyList<TrainingSample> cases, int batchSize = 256,
        IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellation = default)
    {
        var lists = new int[cases.Count][];
        for (var start = 0; start < cases.Count; start += batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            var part = cases.Skip(start).Take(batchSize).ToList();
            var found = recommender.Recommend(part, TopK);
            for (var i = 0; i < part.Count; i++) lists[start + i] = found[i];
            progress?.Report((Math.Min(cases.Count, start + batchSize), cases.Count));
        }
        return lists;
    }

    /// <summary>Recall and NDCG of the cases' lists, summed in case order, so lists put together from shards score as one run.</summary>
    public static EvaluationResult Score(Dataset dataset, IReadOnlyList<TrainingSample> cases, IReadOnlyList<int[]> lists)
    {
        if (lists.Count != cases.Count) throw new ArgumentException($"{lists.Count} lists for {cases.Count} cases", nameof(lists));
        var perUser = new List<UserResult>(cases.Count);
        double r5 = 0, r10 = 0, n5 = 0, n10 = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var rank = RankingMetrics.RankOf(lists[i], cases[i].Target);
            r5 += RankingMetrics.RecallAt(rank, 5);
            r10 += RankingMetrics.RecallAt(rank, 10);
            n5 += RankingMetrics.NdcgAt(rank, 5);
            n10 += RankingMetrics.NdcgAt(rank, 10);
            perUser.Add(new UserResult(dataset.Users[cases[i].UserId].ExternalId, dataset.Items[cases[i].Target].ExternalId, rank,
                lists[i].Select(item => dataset.Items[item].ExternalId).ToArray()));
        }
        var n = Math.Max(1, cases.Count);
        return new EvaluationResult(r5 / n, r10 / n, n5 / n, n10 / n, cases.Count, perUser);
    }

    /// <summary>An evenly spaced subset of at most <paramref name="count"/> cases (all when count is 0 or larger than the set).</summary>
    public static IReadOnlyList<TrainingSample> Subset(IReadOnlyList<TrainingSample> cases, int count)
    {
        if (count <= 0 || count >= cases.Count) return cases;
        var subset = new TrainingSample[count];
        for (var i = 0; i < count; i++) subset[i] = cases[(int)((long)i * cases.Count / count)];
        return subset;
    }
}
