using System.CommandLine;
using System.Text.Json;
using Mender.Benchmark.Axes;
using Mender.Benchmark.Results;
using Mender.Benchmark.Runs;
using Mender.Data;
using Mender.Data.Runs;
using Mender.Data.Text;
using Mender.Preference.Storage;
using Mender.Recommender.Embeddings;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender bench build | run`: the five-axis preference discerning benchmark (entries of the bench parent).</summary>
internal static class PreferenceBenchCommands
{
    /// <summary>The embedder `mender train` records for preferences ("lexical seed=42"), so matching agrees with training.</summary>
    private const int EmbedderSeed = 42;

    private static readonly string[] TrainedModes = ["tiger", "mender", "sasrec"];

    public static IEnumerable<Command> SubCommands()
    {
        yield return Build();
        yield return Run();
    }

    private static Command Build()
    {
        var dataset = new Argument<string>("DATASET") { Description = "Dataset folder or file" };
        var preferences = new Option<string?>("--preferences") { Description = "Preference store folder (default .mender/preferences/<dataset>)" };
        var outDir = new Option<string?>("--out") { Description = "Benchmark folder (default .mender/bench/<dataset>)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the user subset and of ties between paired users", DefaultValueFactory = _ => 42 };
        var maxSamples = new Option<int>("--max-samples") { Description = "At most this many test cases per axis (0 = all)", DefaultValueFactory = _ => 0 };
        var json = CommandOutput.JsonOption();
        var command = new Command("build",
            "Build the five benchmark axes (preference, fine/coarse steering, sentiment, consolidation) from the test split and a preference store")
        {
            dataset, preferences, outDir, seed, maxSamples, json,
        };
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var output = CommandOutput.For(parse, json);
            var datasetPath = Path.GetFullPath(parse.GetValue(dataset)!);
            var outFolder = OutputPath.FolderIfGiven(parse.GetValue(outDir), "--out");
            var data = Load(datasetPath, output);
            var storeDirectory = Path.GetFullPath(parse.GetValue(preferences) ?? Workspace.Folder("preferences", data.Name));
            var folder = outFolder ?? OutputPath.Folder(Workspace.Folder("bench", data.Name), "the benchmark folder");
            PreferenceTable table;
            using (var store = PreferenceStore.OpenExisting(storeDirectory)) table = store.LoadTable();
            if (table.Count == 0) throw new CliUserException($"the preference store in '{storeDirectory}' holds no completed preferences");
            var options = new BenchmarkBuildOptions { Seed = parse.GetValue(seed), MaxSamples = parse.GetValue(maxSamples) };
            if (options.MaxSamples < 0) throw new ArgumentException($"--max-samples must not be negative, got {options.MaxSamples}");

            BenchmarkSet? set = null;
            await output.Err.Status().StartAsync("fitting the embedder and building the axes", async _ =>
            {
                using var embedder = LexicalEmbeddingGenerator.Fit(data.Items.Select(ItemText.Render).ToArray(), new LexicalEmbedderOptions { Seed = EmbedderSeed }, ct);
                set = await BenchmarkBuilder.BuildAsync(data, table, embedder, options, ct);
            });
            set = set! with
            {
                Manifest = set.Manifest with
                {
                    DatasetPath = datasetPath,
                    Preferences = storeDirectory,
                    Embedder = $"lexical seed={EmbedderSeed} ({set.Manifest.Embedder})",
                    Command = DataCommands.CommandLine(),
                },
            };
            BenchmarkFiles.Write(set, data, folder);
            var document = new
            {
                dataset = data.Name,
                bench = folder,
                seed = options.Seed,
                test_targets = set.Manifest.TestTargets,
                matched_targets = set.Manifest.MatchedTargets,
                axes = set.Manifest.Axes,
                embedder = set.Manifest.Embedder,
                extractor = set.Manifest.Extractor,
            };
            output.Result(document, console =>
            {
                var grid = new Table().AddColumn("axis").AddColumn(new TableColumn("samples").RightAligned()).AddColumn("file");
                foreach (var axis in BenchmarkAxes.All)
                    grid.AddRow(axis.Title(), $"{set[axis].Count:N0}", Markup.Escape(Path.Combine(BenchmarkFiles.AxesFolder, axis.FileName())));
                console.Write(grid);
                console.MarkupLineInterpolated($"{set.Manifest.MatchedTargets:N0} of {set.Manifest.TestTargets:N0} test targets have a preference; benchmark in [bold]{folder}[/]");
                if (set[BenchmarkAxis.Sentiment].Count == 0)
                    console.MarkupLine("[yellow]no sentiment samples: no matched preference of a test step is close enough to its item to be turned round[/]");
            });
            return 0;
        });
        return command;
    }

    private static Command Run()
    {
        var dataset = new Argument<string>("DATASET") { Description = "Dataset folder or file" };
        var benchDir = new Option<string?>("--bench") { Description = "Benchmark folder made by `mender bench build` (default .mender/bench/<dataset>)" };
        var checkpoints = new Option<string[]>("--checkpoint")
        {
            Description = "Run directories of `mender train` (tiger, mender or sasrec; repeatable). Default: those of .mender/runs/<dataset>/{tiger,mender,sasrec} that exist",
            AllowMultipleArgumentsPerToken = true,
        };
        var outDir = new Option<string?>("--out") { Description = "Folder of report.{md,json,html} (default: the benchmark folder)" };
        var beam = new Option<int?>("--beam") { Description = "Beam width of tiger/mender models (default: each checkpoint's)" };
        var noPopularity = new Option<bool>("--no-popularity") { Description = "Leave out the most-popular baseline" };
        var json = CommandOutput.JsonOption();
        var command = new Command("run", "Evaluate recommenders on the five axes (Recall/NDCG@5/10, sentiment following) and write the reports")
        {
            dataset, benchDir, checkpoints, outDir, beam, noPopularity, json,
        };
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var output = CommandOutput.For(parse, json);
            var reportFolder = OutputPath.FolderIfGiven(parse.GetValue(outDir), "--out");
            var data = Load(Path.GetFullPath(parse.GetValue(dataset)!), output);
            var benchFolder = Path.GetFullPath(parse.GetValue(benchDir) ?? Workspace.Folder("bench", data.Name));
            var set = BenchmarkFiles.Read(benchFolder, data);
            var folder = reportFolder ?? benchFolder;
            var given = parse.GetValue(checkpoints) ?? [];
            var directories = given.Length > 0
                ? given
                : TrainedModes.Select(m => Path.Combine(Workspace.Folder("runs", data.Name), m)).Where(RunDirectory.HoldsCheckpoint).ToArray();

            var recommenders = new List<IPreferenceRecommender>();
            if (!parse.GetValue(noPopularity)) recommenders.Add(HistoryOnlyRecommender.Popularity(data));
            var opener = new CheckpointRecommenders(data);
            foreach (var directory in directories)
            {
                output.Log($"[grey]loading {Markup.Escape(directory)}[/]");
                recommenders.Add(opener.Open(directory, parse.GetValue(beam)));
            }
            if (recommenders.Count == 0) throw new CliUserException("nothing to evaluate: give --checkpoint DIR or drop --no-popularity");

            var started = DateTimeOffset.UtcNow;
            var wall = System.Diagnostics.Stopwatch.StartNew();
            var report = await RunWithProgress(output, set, benchFolder, recommenders, ct);
            var sources = directories.Select(Path.GetFullPath).ToArray();
            report = report with
            {
                Provenance = Provenance.Of(CommandLineText.Of(parse), started, wall.Elapsed, sources.ToDictionary(d => d, TrainingSeed.Of)),
                Training = sources.ToDictionary(d => d, TrainingRecord.ReadAll),
            };
            ReportFiles.Write(report, folder);
            var document = new
            {
                dataset = report.Dataset,
                bench = benchFolder,
                reports = new[] { ReportFiles.MarkdownFile, ReportFiles.JsonFile, ReportFiles.HtmlFile }.Select(f => Path.Combine(folder, f)).ToArray(),
                // The same shape as report.json's recommenders.
                recommenders = JsonSerializer.SerializeToElement(report.Recommenders, BenchmarkFiles.Json),
            };
            output.Result(document, console =>
            {
                var grid = new Table().AddColumn("method");
                foreach (var axis in BenchmarkAxes.All) grid.AddColumn(new TableColumn(axis.Name()).RightAligned());
                foreach (var r in report.Recommenders)
                    grid.AddRow([Markup.Escape(r.Name), .. r.Axes.Select(a => $"{a.Headline:F4}")]);
                console.Write(grid);
                console.MarkupLine("[grey]Recall@10 per axis; sentiment: combined@10 (in the top 10 with the positive preference, out with the negative)[/]");
                console.MarkupLineInterpolated($"reports in [bold]{folder}[/] ({ReportFiles.MarkdownFile}, {ReportFiles.JsonFile}, {ReportFiles.HtmlFile})");
            });
            return 0;
        });
        return command;
    }

    private static async Task<BenchmarkReport> RunWithProgress(CommandOutput output, BenchmarkSet set, string bench,
        IReadOnlyList<IPreferenceRecommender> recommenders, CancellationToken ct)
    {
        BenchmarkProgress? latest = null;
        var relay = new Mender.Recommender.SemanticIds.ProgressRelay<BenchmarkProgress>(p => Volatile.Write(ref latest, p));
        return await output.Err.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("benchmark", maxValue: 1);
                var run = Task.Run(() => BenchmarkRunner.RunAsync(set, bench, recommenders, relay, ct), CancellationToken.None);
                while (!run.IsCompleted)
                {
                    if (Volatile.Read(ref latest) is { } p)
                    {
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                        task.Description = Markup.Escape($"{p.Recommender} · {p.Axis} · {p.Done:N0}/{p.Total:N0} queries");
                    }
                    await Task.WhenAny(run, Task.Delay(250, CancellationToken.None));
                }
                task.Value = task.MaxValue;
                var result = await run;
                output.EndProgress(task);
                return result;
            });
    }

    private static Dataset Load(string path, CommandOutput output)
    {
        Dataset? data = null;
        output.Err.Status().Start($"reading {Markup.Escape(path)}", _ => data = DatasetLoader.Load(path));
        output.Debug($"dataset {data!.Name}: {data.Users.Count} users, {data.Items.Count} items");
        return data;
    }
}
