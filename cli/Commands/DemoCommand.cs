using System.CommandLine;
using Mender.Recommender.Data;
using Mender.Recommender.Demo;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>
/// `mender demo`: the end-to-end demo on the generated world. It runs the stages that exist (generate, statistics,
/// leave-one-out split, sliding-window samples) and lists the stages still to come.
/// </summary>
internal static class DemoCommand
{
    public const string DefaultFolder = ".mender/demo/dataset";

    private static readonly (string Name, string What)[] PendingStages =
    [
        ("preferences", "extract user preferences from the reviews and store them in preferences.db"),
        ("semantic IDs", "embed item texts and quantize them into 4-code semantic IDs"),
        ("training", "train the TIGER and Mender models on the sliding-window samples"),
        ("benchmark", "measure recommendation and preference steering on the five axes"),
    ];

    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Folder for the demo dataset", DefaultValueFactory = _ => DefaultFolder };
        var seed = DataCommands.SeedOption();
        var items = DataCommands.ItemsOption();
        var users = DataCommands.UsersOption();
        var json = CommandOutput.JsonOption();
        var command = new Command("demo", "Run the pipeline on the built-in demo world (no downloads, no model files)")
        {
            outDir, seed, items, users, json,
        };
        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            var output = CommandOutput.For(parse, json);
            var folder = Path.GetFullPath(parse.GetValue(outDir)!);
            var options = new DemoWorldOptions { Seed = parse.GetValue(seed), Items = parse.GetValue(items), Users = parse.GetValue(users) };
            var world = DataCommands.WriteDemo(output, options, folder, ct);
            var stats = world.Dataset.Stats();
            var split = LeaveOneOutSplit.Create(world.Dataset);
            var trainInteractions = split.Train.Sum(t => (long)t.Length);
            var samples = split.TrainingSampleCount;

            var document = new
            {
                dataset = folder,
                seed = options.Seed,
                stats = DataCommands.StatsFields(stats),
                split = new
                {
                    history_cap = split.HistoryCap,
                    train_users = split.Train.Count(t => t.Length > 0),
                    train_interactions = trainInteractions,
                    validation = split.Validation.Count,
                    test = split.Test.Count,
                    users_without_held_out = split.UsersWithoutHeldOut,
                    training_samples = samples,
                },
                stages = new[]
                    {
                        new { name = "generate", status = "done", description = $"demo world written to {folder}" },
                        new { name = "split", status = "done", description = "leave-one-out split and sliding-window samples" },
                    }
                    .Concat(PendingStages.Select(s => new { name = s.Name, status = "not yet wired", description = s.What }))
                    .ToArray(),
            };
            output.Result(document, console =>
            {
                console.MarkupLineInterpolated($"Demo world (seed {options.Seed}) in [bold]{folder}[/]");
                DataCommands.RenderStats(console, world.Dataset, stats);
                var table = new Table().AddColumn("leave-one-out split").AddColumn(new TableColumn("size").RightAligned());
                table.AddRow("training interactions", trainInteractions.ToString("N0"));
                table.AddRow("validation cases", split.Validation.Count.ToString("N0"));
                table.AddRow("test cases", split.Test.Count.ToString("N0"));
                table.AddRow($"sliding-window samples (history ≤ {split.HistoryCap})", samples.ToString("N0"));
                console.Write(table);
                console.MarkupLine("Next stages, not yet wired into the demo:");
                foreach (var (name, what) in PendingStages)
                    console.MarkupLineInterpolated($"  [grey]•[/] [bold]{name}[/]: {what}");
            });
            return Task.FromResult(0);
        });
        return command;
    }
}
