using Mender.Data;
using Mender.Recommender.Evaluation;

namespace Mender.Recommender.Baselines;

/// <summary>Recommends the items most often interacted with in the training part, the same list for everyone.</summary>
public sealed class MostPopular : IRecommender
{
    private readonly int[] ranking;

    /// <summary>Ranks the items by how often they occur in the training sequences.</summary>
    public MostPopular(int items, IEnumerable<int[]> trainSequences)
    {
        var counts = new long[items];
        foreach (var sequence in trainSequences)
            foreach (var item in sequence) counts[item]++;
        // Ties go to the lower item id so the ranking is deterministic.
        ranking = Enumerable.Range(0, items).OrderByDescending(i => counts[i]).ThenBy(i => i).ToArray();
    }

    /// <inheritdoc/>
    public string Name => "most-popular";

    /// <inheritdoc/>
    public int[][] Recommend(IReadOnlyList<TrainingSample> cases, int k)
    {
        var top = ranking[..Math.Min(k, ranking.Length)];
        var results = new int[cases.Count][];
        for (var i = 0; i < cases.Count; i++) results[i] = top;
        return results;
    }
}
