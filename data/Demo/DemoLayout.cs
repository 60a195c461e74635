namespace Mender.Data.Demo;

/// <summary>
/// Where `mender demo` leaves each stage's artefacts, so that later commands (`mender serve` with no checkpoint, the
/// report viewer) find them without being told: one folder per stage under one root.
/// </summary>
public sealed record DemoLayout(string Root)
{
    public const string DefaultRoot = ".mender/demo";

    /// <summary>The layout under the current directory's default root.</summary>
    public static DemoLayout Default => new(Path.GetFullPath(DefaultRoot));

    public string Dataset => Path.Combine(Root, "dataset");
    public string Preferences => Path.Combine(Root, "preferences");
    public string Sids => Path.Combine(Root, "sids");
    public string TigerRun => Path.Combine(Root, "runs", "tiger");
    public string MenderRun => Path.Combine(Root, "runs", "mender");
    public string Benchmark => Path.Combine(Root, "bench");
    public string Report => Path.Combine(Root, "report");

    /// <summary>Which stages finished and with which inputs, so a rerun reuses them (stages.json).</summary>
    public string State => Path.Combine(Root, "stages.json");

    /// <summary>The last run's result as `mender demo --json` prints it (demo.json).</summary>
    public string Summary => Path.Combine(Root, "demo.json");
}
