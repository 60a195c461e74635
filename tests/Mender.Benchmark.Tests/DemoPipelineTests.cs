using System.Text.Json;
using Mender.Benchmark.Axes;
using Mender.Benchmark.Pipeline;
using Mender.Data.Demo;

namespace Mender.Benchmark.Tests;

/// <summary>The demo pipeline on a small world with very short training: every stage, its artefacts, reuse and invalidation.</summary>
public class DemoPipelineTests
{
    private static readonly DemoOptions Small = new()
    {
        World = new DemoWorldOptions { Items = 300, Users = 120 },
        TrainSteps = 12,
        BenchSamples = 0,
    };

    [Fact]
    public async Task RunsEveryStageThenReusesThemAndRedoesOnlyWhatChanged()
    {
        using var folder = new TempFolder();
        var layout = new DemoLayout(folder.Sub("demo"));

        var first = await new DemoPipeline(layout, Small).RunAsync();
        Assert.Equal(DemoStages.All, first.Stages.Select(s => s.Name));
        Assert.All(first.Stages, s => Assert.Equal(DemoStageStatus.Done, s.Status));
        foreach (var file in new[]
        {
            Path.Combine(layout.Dataset, "dataset.bin"), Path.Combine(layout.Preferences, "preferences.db"), Path.Combine(layout.Sids, "sids.tsv"),
            Path.Combine(layout.TigerRun, "config.json"), Path.Combine(layout.MenderRun, "config.json"), Path.Combine(layout.Benchmark, BenchmarkManifest.FileName),
            Path.Combine(layout.Report, "report.html"), layout.Summary, layout.State,
        })
            Assert.True(File.Exists(file), $"{file} is missing");
        Assert.Equal(["most-popular", "tiger", "mender"], first.Report.Recommenders.Select(r => r.Name));
        Assert.All(first.Report.Recommenders, r => Assert.Equal(BenchmarkAxes.All.Count, r.Axes.Count));
        Assert.Equal(0, first.Report.Recommenders[1].Axes.Single(a => a.Axis == "sentiment").Sentiment!.CombinedAt10);

        var example = first.Example!;
        Assert.Equal(5, example.Positive.Items.Count);
        Assert.NotEqual(example.Positive.Preference, example.Negative.Preference);
        using (var summary = JsonDocument.Parse(File.ReadAllText(layout.Summary)))
            Assert.Equal(DemoStages.All.Count, summary.RootElement.GetProperty("stages").GetArrayLength());

        var again = await new DemoPipeline(layout, Small).RunAsync();
        Assert.All(again.Stages, s => Assert.Equal(DemoStageStatus.Reused, s.Status));
        Assert.Equal(JsonSerializer.Serialize(first.Report.Recommenders, BenchmarkFiles.Json), JsonSerializer.Serialize(again.Report.Recommenders, BenchmarkFiles.Json));
        Assert.Equal(example.Positive.Items, again.Example!.Positive.Items);

        var longer = await new DemoPipeline(layout, Small with { TrainSteps = 14 }).RunAsync();
        var status = longer.Stages.ToDictionary(s => s.Name, s => s.Status);
        foreach (var stage in new[] { DemoStages.Generate, DemoStages.Preferences, DemoStages.Sids, DemoStages.BenchBuild })
            Assert.Equal(DemoStageStatus.Reused, status[stage]);
        foreach (var stage in new[] { DemoStages.TrainTiger, DemoStages.TrainMender, DemoStages.BenchRun })
            Assert.Equal(DemoStageStatus.Done, status[stage]);
        Assert.Equal(14, (long)longer.Stages.Single(s => s.Name == DemoStages.TrainMender).Facts["steps"]!);
    }
}
