namespace Mender.Benchmark.Runs;

/// <summary>
/// Anything the benchmark can evaluate: the top-k items for a history and preference texts. Recommenders that cannot
/// read preferences ignore them (that is what the steering and sentiment axes expose).
/// </summary>
public interface IPreferenceRecommender
{
    /// <summary>A short name for reports ("mender", "tiger", "sasrec", "most-popular").</summary>
    string Name { get; }

    /// <summary>Where it came from, for the report: a checkpoint directory or how it was made.</summary>
    string Source { get; }

    /// <summary>The top <paramref name="k"/> item ids for each query, best first.</summary>
    Task<int[][]> RecommendAsync(IReadOnlyList<BenchmarkQuery> queries, int k, CancellationToken cancellation = default);
}
