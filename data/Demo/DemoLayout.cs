namespace Mender.Data.Demo;

/// <summary>
/// Where `mender demo` leaves each stage's artefacts, so that later commands (`mender serve` with no checkpoint, the
/// report viewer) find them without being told: one folder per stage under one root.
/// </summary>
public sealed record DemoLayout(string Root)
{
    /// <summary>Where the demo writes when no folder is given.</summary>
    public const string DefaultRoot = ".mender/demo";

    /// <summary>The layout under the current directory's default root.</summary>
    public static DemoLayout Default => new(Path.GetFullPath(DefaultRoot));

    /// <summary>The generated world as a dataset cache.</summary>
    public string Dataset => Path.Combine(Root, "dataset");

    /// <summary>The preference store.</summary>
    public string Preferences => Path.Combine(Root, "preferences");

    /// <summary>The semantic ID build.</summary>
    public string Sids => Path.Combine(Root, "sids");

    /// <summary>The tiger-mode run directory.</summary>
    public string TigerRun => Path.Combine(Root, "runs", "tiger");

    /// <summary>The mender-mode run directory.</summary>
    public string MenderRun => Path.Combine(Root, "runs", "mender");

    /// <summary>The five-axis benchmark.</summary>
    public string Benchmark => Path.Combine(Root, "bench");

    /// <summary>The benchmark report (md, json, html).</summary>
    public string Report => Path.Combine(Root, "report");

    /// <summary>Which stages finished and with which inputs, so a rerun reuses them (stages.json).</summary>
    public string State => Path.Combine(Root, "stages.json");

    /// <summary>The last run's result as `mender demo --json` prints it (demo.json).</summary>
    public string Summary => Path.Combine(Root, "demo.json");
}
