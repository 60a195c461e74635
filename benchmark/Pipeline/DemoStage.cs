namespace Mender.Benchmark.Pipeline;

/// <summary>How a demo stage went: run now, resumed from an interrupted run, or reused as a finished artefact.</summary>
public enum DemoStageStatus
{
    Done,
    Resumed,
    Reused,
}

/// <summary>One stage of the demo: its outcome, how long it took, where its artefact is and a few facts about it.</summary>
public sealed record DemoStageResult(string Name, DemoStageStatus Status, double Seconds, string Artefact, string Summary,
    IReadOnlyDictionary<string, object?> Facts);

/// <summary>Where the demo is: the stage, how far it is (0..1) and what it is doing.</summary>
public sealed record DemoProgress(string Stage, double Fraction, string Detail);

public static class DemoStages
{
    public const string Generate = "generate";
    public const string Preferences = "preferences";
    public const string Sids = "semantic_ids";
    public const string TrainTiger = "train_tiger";
    public const string TrainMender = "train_mender";
    public const string BenchBuild = "bench_build";
    public const string BenchRun = "bench_run";
    public const string Example = "steering_example";

    /// <summary>In the order they run.</summary>
    public static IReadOnlyList<string> All { get; } = [Generate, Preferences, Sids, TrainTiger, TrainMender, BenchBuild, BenchRun, Example];

    public static string Name(this DemoStageStatus status) => status switch
    {
        DemoStageStatus.Done => "done",
        DemoStageStatus.Resumed => "resumed",
        _ => "reused",
    };
}
