using Mender.Benchmark.Axes;

namespace Mender.Benchmark.Runs;

/// <summary>The outcome of `mender bench run`: which benchmark, and every recommender's scores on it.</summary>
public sealed record BenchmarkReport(string Dataset, string Bench, BenchmarkManifest Manifest, string CreatedAt, IReadOnlyList<RecommenderScores> Recommenders)
{
    /// <summary>The command that wrote the report and the seeds of the models it scored (keyed by their source); null in older reports.</summary>
    public Results.Provenance? Provenance { get; init; }
}
