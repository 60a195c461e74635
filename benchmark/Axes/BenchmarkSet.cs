namespace Mender.Benchmark.Axes;

/// <summary>A built benchmark: the samples of each axis and the manifest that says how they were made.</summary>
public sealed record BenchmarkSet(BenchmarkManifest Manifest, IReadOnlyDictionary<BenchmarkAxis, IReadOnlyList<BenchmarkSample>> Samples)
{
    /// <summary>The samples of one axis; none when the set has no such axis.</summary>
    public IReadOnlyList<BenchmarkSample> this[BenchmarkAxis axis] => Samples.TryGetValue(axis, out var samples) ? samples : [];
}
