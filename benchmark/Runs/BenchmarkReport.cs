using Mender.Benchmark.Axes;

namespace Mender.Benchmark.Runs;

/// <summary>The outcome of `mender bench run`: which benchmark, and every recommender's scores on it.</summary>
public sealed record BenchmarkReport(string Dataset, string Bench, BenchmarkManifest Manifest, string CreatedAt, IReadOnlyList<RecommenderScores> Recommenders)
{
    /// <summary>The command that wrote the report and the seeds of the models it scored (keyed by their source); null in older reports.</summary>
    public Results.Provenance? Provenance { get; init; }

    /// <summary>
    /// The `mender train` commands behind each scored checkpoint (keyed by its source, oldest first), so that a row of the
    /// results table can say how its models were made and how long that took; null in older reports.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Results.TrainingRecord>>? Training { get; init; }
}
