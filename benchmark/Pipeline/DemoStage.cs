namespace Mender.Benchmark.Pipeline;

/// <summary>How a demo stage went: run now, resumed from an interrupted run, or reused as a finished artefact.</summary>
public enum DemoStageStatus
{
    /// <summary>The stage ran from the start in this run.</summary>
    Done,
    /// <summary>The stage went on from where an interrupted run stopped.</summary>
    Resumed,
    /// <summary>A finished artefact with the same inputs was kept as it was.</summary>
    Reused,
}

/// <summary>One stage of the demo: its outcome, how long it took, where its artefact is and a few facts about it.</summary>
public sealed record DemoStageResult(string Name, DemoStageStatus Status, double Seconds, string Artefact, string Summary,
    IReadOnlyDictionary<string, object?> Facts);

/// <summary>Where the demo is: the stage, how far it is (0..1) and what it is doing.</summary>
public sealed record DemoProgress(string Stage, double Fraction, string Detail);

/// <summary>The names of the demo's stages, as progress, state and the result give them.</summary>
public static class DemoStages
{
    /// <summary>Generates the demo world (items, users, reviews).</summary>
    public const string Generate = "generate";
    /// <summary>Writes preferences from the world's reviews.</summary>
    public const string Preferences = "preferences";
    /// <summary>Builds the items' semantic IDs.</summary>
    public const string Sids = "semantic_ids";
    /// <summary>Trains the tiger-mode model (history only).</summary>
    public const string TrainTiger = "train_tiger";
    /// <summary>Trains the mender-mode model (history and preference).</summary>
    public const string TrainMender = "train_mender";
    /// <summary>Builds the five benchmark axes.</summary>
    public const string BenchBuild = "bench_build";
    /// <summary>Runs the benchmark on popularity, tiger and mender.</summary>
    public const string BenchRun = "bench_run";
    /// <summary>Finds one steering example to show.</summary>
    public const string Example = "steering_example";

    /// <summary>In the order they run.</summary>
    public static IReadOnlyList<string> All { get; } = [Generate, Preferences, Sids, TrainTiger, TrainMender, BenchBuild, BenchRun, Example];

    /// <summary>The status as the result and progress write it, e.g. "reused".</summary>
    public static string Name(this DemoStageStatus status) => status switch
    {
        DemoStageStatus.Done => "done",
        DemoStageStatus.Resumed => "resumed",
        _ => "reused",
    };
}
