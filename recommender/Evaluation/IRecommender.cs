using Mender.Data;

namespace Mender.Recommender.Evaluation;

/// <summary>Anything that ranks catalogue items for held-out cases, so one harness evaluates every method.</summary>
public interface IRecommender
{
    /// <summary>A short name for reports ("tiger", "sasrec", "most-popular").</summary>
    string Name { get; }

    /// <summary>The top <paramref name="k"/> item ids for each case, best first.</summary>
    int[][] Recommend(IReadOnlyList<TrainingSample> cases, int k);
}
