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
        int batchSize = 256, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellation = default)
    {
        var perUser = new List<UserResult>(cases.Count);
        double r5 = 0, r10 = 0, n5 = 0, n10 = 0;
        for (var start = 0; start < cases.Count; start += batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            var part = cases.Skip(start).Take(batchSize).ToList();
            var lists = recommender.Recommend(part, TopK);
            for (var i = 0; i < part.Count; i++)
            {
                var rank = RankingMetrics.RankOf(lists[i], part[i].Target);
                r5 += RankingMetrics.RecallAt(rank, 5);
                r10 += RankingMetrics.RecallAt(rank, 10);
                n5 += RankingMetrics.NdcgAt(rank, 5);
                n10 += RankingMetrics.NdcgAt(rank, 10);
                perUser.Add(new UserResult(dataset.Users[part[i].UserId].ExternalId, dataset.Items[part[i].Target].ExternalId, rank,
                    lists[i].Select(item => dataset.Items[item].ExternalId).ToArray()));
            }
            progress?.Report((Math.Min(cases.Count, start + batchSize), cases.Count));
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
