using System.CommandLine;
using System.Globalization;
using Mender.Benchmark.Axes;
using Mender.Benchmark.Pipeline;
using Mender.Data.Demo;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>
/// `mender demo`: the whole pipeline on the built-in demo world (<see cref="DemoPipeline"/>), artefacts under
/// .mender/demo/; a rerun reuses every finished stage.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var defaults = new DemoOptions();
        var outDir = new Option<string>("--out") { Description = "Folder of the demo's artefacts", DefaultValueFactory = _ => DemoLayout.DefaultRoot };
        var seed = DataCommands.SeedOption();
        var items = DataCommands.ItemsOption();
        var users = DataCommands.UsersOption();
        var model = new Option<string?>("--model") { Description = "GGUF model to write the preferences with (default: the built-in extractor)" };
        var codebook = new Option<int>("--codebook-size") { Description = "Codes per semantic-ID level", DefaultValueFactory = _ => defaults.SidCodebookSize };
        var steps = new Option<int>("--train-steps") { Description = "Training steps of each mode", DefaultValueFactory = _ => defaults.TrainSteps };
        var minutes = new Option<double>("--train-minutes") { Description = "Time cap of each mode's training", DefaultValueFactory = _ => defaults.TrainMinutes };
        var rate = new Option<float>("--learning-rate") { Description = "Peak learning rate of both modes", DefaultValueFactory = _ => defaults.LearningRate };
        var samples = new Option<int>("--bench-samples") { Description = "Test cases per benchmark axis (0 = all)", DefaultValueFactory = _ => defaults.BenchSamples };
        var json = CommandOutput.JsonOption();
        var command = new Command("demo",
            "Run the whole pipeline on the built-in demo world: preferences, semantic IDs, tiger and mender training, the five-axis benchmark")
        {
            outDir, seed, items, users, model, codebook, steps, minutes, rate, samples, json,
        };
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var output = CommandOutput.For(parse, json);
            var root = OutputPath.Folder(parse.GetValue(outDir)!, "--out");
            var options = new DemoOptions
            {
                World = new DemoWorldOptions { Seed = parse.GetValue(seed), Items = parse.GetValue(items), Users = parse.GetValue(users) },
                Model = parse.GetValue(model) is { } path ? Path.GetFullPath(path) : null,
                SidCodebookSize = parse.GetValue(codebook),
                TrainSteps = parse.GetValue(steps),
                TrainMinutes = parse.GetValue(minutes),
                LearningRate = parse.GetValue(rate),
                BenchSamples = parse.GetValue(samples),
                Command = DataCommands.CommandLine(),
            };
            var pipeline = new DemoPipeline(new DemoLayout(root), options);
            var result = await RunWithProgress(output, pipeline, ct);
            output.Result(result.ToDocument(), console => Render(console, result));
            return 0;
        });
        return command;
    }

    private static async Task<DemoResult> RunWithProgress(CommandOutput output, DemoPipeline pipeline, CancellationToken ct)
    {
        DemoProgress? latest = null;
        var relay = new Mender.Recommender.SemanticIds.ProgressRelay<DemoProgress>(p => Volatile.Write(ref latest, p));
        return await output.Err.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = DemoStages.All.ToDictionary(s => s, s => context.AddTask(s, autoStart: false, maxValue: 1));
                var run = Task.Run(() => pipeline.RunAsync(relay, ct), CancellationToken.None);
                while (!run.IsCompleted)
                {
                    Show(tasks, Volatile.Read(ref latest));
                    await Task.WhenAny(run, Task.Delay(250, CancellationToken.None));
                }
                Show(tasks, Volatile.Read(ref latest));
                var result = await run;
                foreach (var stage in result.Stages)
                {
                    var task = tasks[stage.Name];
                    task.Description = Markup.Escape($"{stage.Name} · {stage.Status.Name()} · {stage.Summary}");
                    task.Value = 1;
                    task.StopTask();
                }
                output.EndProgress(tasks.Values);
                return result;
            });
    }

    private static void Show(Dictionary<string, ProgressTask> tasks, DemoProgress? p)
    {
        if (p is null || !tasks.TryGetValue(p.Stage, out var task)) return;
        if (!task.IsStarted) task.StartTask();
        task.Value = p.Fraction;
        task.Description = Markup.Escape($"{p.Stage} · {p.Detail}");
    }

    private static void Render(IAnsiConsole console, DemoResult result)
    {
        var stages = new Table().AddColumn("stage").AddColumn("status").AddColumn(new TableColumn("seconds").RightAligned()).AddColumn("result");
        foreach (var s in result.Stages)
            stages.AddRow(s.Name, s.Status.Name(), s.Seconds.ToString("F1", CultureInfo.InvariantCulture), Markup.Escape(s.Summary));
        console.Write(stages);

        var table = new Table().AddColumn("method");
        foreach (var axis in BenchmarkAxes.All) table.AddColumn(new TableColumn(axis.Name()).RightAligned());
        foreach (var r in result.Report.Recommenders)
            table.AddRow([Markup.Escape(r.Name), .. r.Axes.Select(a => a.Headline.ToString("F4", CultureInfo.InvariantCulture))]);
        console.Write(table);
        console.MarkupLine("[grey]Recall@10 per axis; sentiment: combined@10 (in the top 10 with the positive preference, out with the negative)[/]");

        if (result.Example is { } example)
        {
            console.MarkupLineInterpolated($"Steering example: user [bold]{example.User}[/], recently {string.Join(" · ", example.RecentHistory)}; next bought [bold]{example.Target.Title}[/]");
            var lists = new Table()
                .AddColumn(Markup.Escape($"mender: \"{example.Positive.Preference}\""))
                .AddColumn(Markup.Escape($"mender: \"{example.Negative.Preference}\""))
                .AddColumn("tiger (either preference)");
            for (var i = 0; i < example.Positive.Items.Count; i++)
                lists.AddRow(Cell(example, example.Positive, i), Cell(example, example.Negative, i), Cell(example, example.Tiger, i));
            console.Write(lists);
        }
        var layout = result.Layout;
        console.MarkupLineInterpolated($"Artefacts in [bold]{layout.Root}[/]; report: [bold]{Path.Combine(layout.Report, "report.html")}[/]; {result.WallSeconds:F0} s");
    }

    private static string Cell(SteeringExample example, ExampleList list, int i)
    {
        if (i >= list.Items.Count) return "";
        var item = list.Items[i];
        var title = Markup.Escape($"{i + 1}. {item.Title}");
        return item == example.Target ? $"[bold green]{title}[/]" : title;
    }
}
