namespace Mender.Benchmark.Runs;

/// <summary>What a recommender is asked on the benchmark: a history (item ids, oldest first) and preference texts (possibly none).</summary>
public sealed record BenchmarkQuery(int[] History, IReadOnlyList<string> Preferences);
