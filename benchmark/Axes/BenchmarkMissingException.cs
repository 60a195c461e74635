namespace Mender.Benchmark.Axes;

/// <summary>A folder was expected to hold a built benchmark and holds none; a caller can tell the user how to build one.</summary>
public sealed class BenchmarkMissingException : FileNotFoundException
{
    /// <summary>Reports that <paramref name="folder"/> has no manifest at <paramref name="manifestPath"/>.</summary>
    public BenchmarkMissingException(string folder, string manifestPath)
        : base($"no benchmark in '{Path.GetFullPath(folder)}' ({BenchmarkManifest.FileName} is missing)", manifestPath)
    {
    }
}
