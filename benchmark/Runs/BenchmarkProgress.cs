namespace Mender.Benchmark.Runs;

/// <summary>Where a benchmark run is: recommender, axis, and queries answered out of all queries of the run.</summary>
public sealed record BenchmarkProgress(string Recommender, string Axis, long Done, long Total);
