using Mender.Data;
using Mender.Recommender.Baselines;
using Mender.Recommender.Evaluation;

namespace Mender.Benchmark.Runs;

/// <summary>A recommender that reads histories only (popularity, SASRec, ...), seen through the benchmark's interface.</summary>
public sealed class HistoryOnlyRecommender(IRecommender inner, string source) : IPreferenceRecommender
{
    /// <inheritdoc/>
    public string Name => inner.Name;

    /// <inheritdoc/>
    public string Source => source;

    /// <inheritdoc/>
    public Task<int[][]> RecommendAsync(IReadOnlyList<BenchmarkQuery> queries, int k, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        // The target is never read by a recommender; -1 makes sure it could not be mistaken for an item.
        var cases = queries.Select(q => new TrainingSample(0, q.History, -1)).ToList();
        return Task.FromResult(inner.Recommend(cases, k));
    }

    /// <summary>
    /// Most-popular with the counts leave-one-out test evaluation uses: every training item plus each user's validation
    /// item, since test histories include it.
    /// </summary>
    public static HistoryOnlyRecommender Popularity(Dataset dataset)
    {
        var split = LeaveOneOutSplit.Create(dataset);
        var popular = new MostPopular(dataset.Items.Count, split.Train.Concat(split.Validation.Select(c => new[] { c.Target })));
        return new HistoryOnlyRecommender(popular, "interaction counts of the training and validation items");
    }
}
