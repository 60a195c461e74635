using Mender.Benchmark.Axes;

namespace Mender.Benchmark.Runs;

/// <summary>The outcome of `mender bench run`: which benchmark, and every recommender's scores on it.</summary>
public sealed record BenchmarkReport(string Dataset, string Bench, BenchmarkManifest Manifest, string CreatedAt, IReadOnlyList<RecommenderScores> Recommenders);
