using System.Text.Encodings.Web;
using System.Text.Json;
using Mender.Benchmark.Axes;
using Mender.Benchmark.Runs;
using Mender.Data.Demo;

namespace Mender.Benchmark.Pipeline;

/// <summary>What a demo run produced: every stage's outcome, the benchmark report and the steering example.</summary>
public sealed record DemoResult(DemoLayout Layout, DemoOptions Options, IReadOnlyList<DemoStageResult> Stages, BenchmarkReport Report,
    SteeringExample? Example, double WallSeconds)
{
    /// <summary>How the result document is written: as the benchmark files are, with text left unescaped.</summary>
    public static readonly JsonSerializerOptions Json = new(BenchmarkFiles.Json) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The result as one JSON document with snake_case keys (what `mender demo --json` prints and demo.json holds).</summary>
    public Dictionary<string, object?> ToDocument() => new()
    {
        ["root"] = Layout.Root,
        ["wall_seconds"] = Math.Round(WallSeconds, 2),
        ["world"] = new { seed = Options.World.Seed, items = Options.World.Items, users = Options.World.Users },
        ["extractor"] = Options.Model is null ? "builtin" : Options.Model,
        ["stages"] = Stages.Select(s => new
        {
            name = s.Name,
            status = s.Status.Name(),
            seconds = Math.Round(s.Seconds, 2),
            artefact = s.Artefact,
            summary = s.Summary,
            facts = s.Facts,
        }).ToArray(),
        ["table"] = new
        {
            metric = "Recall@10; sentiment: combined@10 (in the top 10 with the positive preference, out with the negative)",
            axes = BenchmarkAxes.All.Select(a => a.Name()).ToArray(),
            rows = Report.Recommenders.Select(r => new
            {
                method = r.Name,
                values = r.Axes.ToDictionary(a => a.Axis, a => Math.Round(a.Headline, 4)),
            }).ToArray(),
        },
        ["recommenders"] = Report.Recommenders,
        ["steering_example"] = Example is null ? null : new
        {
            user = Example.User,
            recent_history = Example.RecentHistory,
            target = Example.Target,
            positive = Example.Positive,
            negative = Example.Negative,
            tiger = Example.Tiger,
            different_items = Example.Different,
            target_with_positive = Example.TargetWithPositive,
            target_with_negative = Example.TargetWithNegative,
        },
    };
}
