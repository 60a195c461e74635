namespace Mender.Benchmark.Axes;

/// <summary>What produced a benchmark folder (manifest.json), so its samples can be traced and rebuilt.</summary>
public sealed record BenchmarkManifest
{
    public const string FileName = "manifest.json";
    public const string FormatName = "mender-bench-axes";

    public string Format { get; init; } = FormatName;
    public int Version { get; init; } = 1;
    public required string Dataset { get; init; }
    public string? DatasetPath { get; init; }
    public string? Preferences { get; init; }
    public string? Extractor { get; init; }
    public string? ExtractorModel { get; init; }
    public required string Embedder { get; init; }
    public required int Seed { get; init; }
    public int HistoryCap { get; init; }
    public int MaxSamples { get; init; }
    public string Command { get; init; } = "";
    public string CreatedAt { get; init; } = "";

    /// <summary>Test targets, and those of them whose previous step has preferences (the cases every axis starts from).</summary>
    public int TestTargets { get; init; }
    public int MatchedTargets { get; init; }

    /// <summary>Samples per axis name.</summary>
    public Dictionary<string, int> Axes { get; init; } = [];
}
