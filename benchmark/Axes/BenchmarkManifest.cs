namespace Mender.Benchmark.Axes;

/// <summary>What produced a benchmark folder (manifest.json), so its samples can be traced and rebuilt.</summary>
public sealed record BenchmarkManifest
{
    /// <summary>The manifest's file name in the benchmark folder.</summary>
    public const string FileName = "manifest.json";
    /// <summary>The value of <see cref="Format"/> that marks a file as a benchmark manifest.</summary>
    public const string FormatName = "mender-bench-axes";

    /// <summary>What kind of file this is; always <see cref="FormatName"/>.</summary>
    public string Format { get; init; } = FormatName;
    /// <summary>The version of the folder's layout.</summary>
    public int Version { get; init; } = 1;
    /// <summary>The name of the dataset the benchmark was built from; reading checks it.</summary>
    public required string Dataset { get; init; }
    /// <summary>Where the dataset was read from, when known.</summary>
    public string? DatasetPath { get; init; }
    /// <summary>Where the preference store was read from, when known.</summary>
    public string? Preferences { get; init; }
    /// <summary>What extracted the preferences from the reviews.</summary>
    public string? Extractor { get; init; }
    /// <summary>The model the extractor used, when it used one.</summary>
    public string? ExtractorModel { get; init; }
    /// <summary>The embedder that matched preferences to items and paired the items.</summary>
    public required string Embedder { get; init; }
    /// <summary>The build's seed (see <see cref="BenchmarkBuildOptions.Seed"/>).</summary>
    public required int Seed { get; init; }
    /// <summary>At most this many history items per sample (see <see cref="BenchmarkBuildOptions.HistoryCap"/>).</summary>
    public int HistoryCap { get; init; }
    /// <summary>The cap on test cases (see <see cref="BenchmarkBuildOptions.MaxSamples"/>); 0 means none.</summary>
    public int MaxSamples { get; init; }
    /// <summary>The command line that built the benchmark, so it can be run again.</summary>
    public string Command { get; init; } = "";
    /// <summary>When the benchmark was built (UTC, ISO 8601).</summary>
    public string CreatedAt { get; init; } = "";

    /// <summary>Test targets, and those of them whose previous step has preferences (the cases every axis starts from).</summary>
    public int TestTargets { get; init; }
    /// <summary>How many test targets have preferences at their previous step (see <see cref="TestTargets"/>).</summary>
    public int MatchedTargets { get; init; }

    /// <summary>Samples per axis name.</summary>
    public Dictionary<string, int> Axes { get; init; } = [];
}
