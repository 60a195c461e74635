using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Mender.Data;
using Mender.Data.Demo;
using Mender.Data.Formats;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender data stats|import|generate-demo`: datasets from files, the fast cache, the generated demo world.</summary>
internal static class DataCommands
{
    public static Command Create()
    {
        var data = new Command("data", "Datasets: statistics, import into the fast cache, generate the demo world");
        data.Subcommands.Add(Stats());
        data.Subcommands.Add(Import());
        data.Subcommands.Add(GenerateDemo());
        return data;
    }

    private static Command Stats()
    {
        var path = new Argument<string>("PATH") { Description = "Dataset folder or file (format recognised automatically; .gz read transparently)" };
        var kCore = KCoreOption();
        var skipBad = SkipBadOption();
        var json = CommandOutput.JsonOption();
        var command = new Command("stats", "Print users, items, interactions, density and history lengths of a dataset")
        {
            path, kCore, skipBad, json,
        };
        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            var output = CommandOutput.For(parse, json);
            var location = parse.GetValue(path)!;
            var (dataset, seconds) = Load(output, location, LoadOptions(parse, kCore, skipBad));
            var stats = dataset.Stats();
            output.Result(StatsDocument(location, dataset, stats, seconds), console => RenderStats(console, dataset, stats));
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Import()
    {
        var path = new Argument<string>("PATH") { Description = "Dataset folder or file to import" };
        var outDir = new Option<string>("--out") { Description = "Folder to write the cache to (manifest.json + dataset.bin)", Required = true };
        var kCore = KCoreOption();
        var skipBad = SkipBadOption();
        var json = CommandOutput.JsonOption();
        var command = new Command("import", "Read a dataset once and write it as a normalized cache that loads fast")
        {
            path, outDir, kCore, skipBad, json,
        };
        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            var output = CommandOutput.For(parse, json);
            var location = parse.GetValue(path)!;
            var folder = OutputPath.Folder(parse.GetValue(outDir)!, "--out");
            var options = LoadOptions(parse, kCore, skipBad);
            var (dataset, seconds) = Load(output, location, options);
            ct.ThrowIfCancellationRequested();
            var parameters = new Dictionary<string, string>
            {
                ["k_core"] = options.KCore?.ToString(CultureInfo.InvariantCulture) ?? "none",
                ["skip_bad"] = options.SkipBad ? "true" : "false",
            };
            var manifest = DatasetCache.Write(dataset, folder, new Provenance(CommandLine(), parameters));
            output.Result(new
            {
                output_directory = folder,
                name = manifest.Name,
                source = manifest.Source,
                users = manifest.Counts.Users,
                items = manifest.Counts.Items,
                interactions = manifest.Counts.Interactions,
                skipped_lines = manifest.SkippedLines > 0 ? manifest.SkippedLines : (int?)null,
                notes = Notes(dataset.Report),
                source_files = manifest.SourceFiles.Select(f => new { path = f.Path, bytes = f.Bytes, sha256 = f.Sha256 }),
                load_seconds = Math.Round(seconds, 3),
            }, console =>
            {
                console.MarkupLineInterpolated($"Wrote [bold]{folder}[/]: {manifest.Counts.Users:N0} users, {manifest.Counts.Items:N0} items, {manifest.Counts.Interactions:N0} interactions");
                foreach (var file in manifest.SourceFiles)
                    console.MarkupLineInterpolated($"  from {file.Path} ({file.Bytes:N0} bytes, sha256 {file.Sha256[..16]}…)");
                RenderSkips(console, dataset.Report);
            });
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command GenerateDemo()
    {
        var outDir = new Option<string>("--out") { Description = "Folder to write the demo world to", Required = true };
        var seed = SeedOption();
        var items = ItemsOption();
        var users = UsersOption();
        var json = CommandOutput.JsonOption();
        var command = new Command("generate-demo", "Generate the seeded demo world (catalogue, users with latent tastes, reviews) as a dataset cache")
        {
            outDir, seed, items, users, json,
        };
        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            var output = CommandOutput.For(parse, json);
            var folder = OutputPath.Folder(parse.GetValue(outDir)!, "--out");
            var options = new DemoWorldOptions { Seed = parse.GetValue(seed), Items = parse.GetValue(items), Users = parse.GetValue(users) };
            var world = WriteDemo(output, options, folder, ct);
            var stats = world.Dataset.Stats();
            output.Result(new
            {
                output_directory = folder,
                seed = options.Seed,
                stats = StatsFields(stats),
                tastes = Path.Combine(folder, DemoWorld.TastesFileName),
            }, console =>
            {
                console.MarkupLineInterpolated($"Wrote the demo world (seed {options.Seed}) to [bold]{folder}[/]");
                RenderStats(console, world.Dataset, stats);
            });
            return Task.FromResult(0);
        });
        return command;
    }

    internal static Option<long> SeedOption() =>
        new("--seed") { Description = "Seed of the demo world", DefaultValueFactory = _ => new DemoWorldOptions().Seed };

    internal static Option<int> ItemsOption() =>
        new("--items") { Description = "Catalogue size of the demo world", DefaultValueFactory = _ => new DemoWorldOptions().Items };

    internal static Option<int> UsersOption() =>
        new("--users") { Description = "Number of demo users", DefaultValueFactory = _ => new DemoWorldOptions().Users };

    private static Option<int?> KCoreOption() =>
        new("--k-core") { Description = "Keep only users and items with at least K interactions (iterated)" };

    private static Option<bool> SkipBadOption() =>
        new("--skip-bad") { Description = "Skip malformed lines (counted and reported) instead of stopping at the first" };

    private static DatasetLoadOptions LoadOptions(ParseResult parse, Option<int?> kCore, Option<bool> skipBad)
    {
        var k = parse.GetValue(kCore);
        if (k is < 1) throw new CliUserException($"--k-core must be at least 1, got {k}");
        return new DatasetLoadOptions { KCore = k, SkipBad = parse.GetValue(skipBad) };
    }

    private static (Dataset Dataset, double Seconds) Load(CommandOutput output, string path, DatasetLoadOptions options)
    {
        var clock = Stopwatch.StartNew();
        Dataset? dataset = null;
        output.Err.Status().Start($"reading {Markup.Escape(path)}", _ => dataset = DatasetLoader.Load(path, options));
        var seconds = clock.Elapsed.TotalSeconds;
        output.Debug($"loaded {dataset!.Source} in {seconds:F2} s");
        // The human rendering lists skips on stdout; with --json, stderr still tells a person watching.
        if (output.Json && dataset.Report.SkippedLines > 0)
            output.Log($"[yellow]skipped {dataset.Report.SkippedLines:N0} malformed lines[/]");
        return (dataset, seconds);
    }

    internal static DemoWorld WriteDemo(CommandOutput output, DemoWorldOptions options, string folder, CancellationToken ct)
    {
        DemoWorld? world = null;
        output.Err.Status().Start("generating the demo world", context =>
        {
            world = DemoWorld.Generate(options, ct);
            context.Status($"writing {Markup.Escape(folder)}");
            world.Save(folder, CommandLine());
        });
        output.Debug($"demo world written to {folder}");
        return world!;
    }

    /// <summary>The command line as typed, for the provenance of written artefacts.</summary>
    internal static string CommandLine() =>
        "mender " + string.Join(" ", Environment.GetCommandLineArgs().Skip(1).Select(a => a.Contains(' ') ? $"\"{a}\"" : a));

    private static object StatsDocument(string path, Dataset dataset, DatasetStats stats, double seconds) => new
    {
        path = Path.GetFullPath(path),
        name = dataset.Name,
        source = dataset.Source,
        users = stats.Users,
        items = stats.Items,
        interactions = stats.Interactions,
        density = stats.Density,
        mean_history = stats.MeanHistory,
        median_history = stats.MedianHistory,
        min_history = stats.MinHistory,
        max_history = stats.MaxHistory,
        items_without_interactions = stats.ItemsWithoutInteractions,
        ratings = stats.Ratings,
        reviews = stats.Reviews,
        skipped_lines = dataset.Report.SkippedLines > 0 ? dataset.Report.SkippedLines : (int?)null,
        skipped_examples = dataset.Report.SkippedLines > 0 ? dataset.Report.SkippedExamples : null,
        notes = Notes(dataset.Report),
        load_seconds = Math.Round(seconds, 3),
    };

    /// <summary>The report's notes, led by the count of skipped lines, so a script reading --json sees what was left out.</summary>
    private static IReadOnlyList<string> Notes(LoadReport report) => report.SkippedLines > 0
        ? [$"skipped {report.SkippedLines} malformed lines (--skip-bad)", .. report.Notes]
        : report.Notes;

    internal static object StatsFields(DatasetStats stats) => new
    {
        users = stats.Users,
        items = stats.Items,
        interactions = stats.Interactions,
        density = stats.Density,
        mean_history = stats.MeanHistory,
        median_history = stats.MedianHistory,
        min_history = stats.MinHistory,
        max_history = stats.MaxHistory,
        ratings = stats.Ratings,
        reviews = stats.Reviews,
    };

    internal static void RenderStats(IAnsiConsole console, Dataset dataset, DatasetStats stats)
    {
        console.MarkupLineInterpolated($"[bold]{dataset.Name}[/] — {dataset.Source}");
        var table = new Table().AddColumn("measure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("users", stats.Users.ToString("N0"));
        table.AddRow("items", stats.Items.ToString("N0"));
        table.AddRow("interactions", stats.Interactions.ToString("N0"));
        table.AddRow("density", stats.Density.ToString("0.000000"));
        table.AddRow("history length (mean / median)", $"{stats.MeanHistory:F2} / {stats.MedianHistory:0.#}");
        table.AddRow("history length (min / max)", $"{stats.MinHistory} / {stats.MaxHistory}");
        if (stats.ItemsWithoutInteractions > 0) table.AddRow("items without interactions", stats.ItemsWithoutInteractions.ToString("N0"));
        if (stats.Ratings > 0) table.AddRow("ratings", stats.Ratings.ToString("N0"));
        if (stats.Reviews > 0) table.AddRow("reviews", stats.Reviews.ToString("N0"));
        console.Write(table);
        RenderSkips(console, dataset.Report);
    }

    private static void RenderSkips(IAnsiConsole console, LoadReport report)
    {
        foreach (var note in report.Notes) console.MarkupLineInterpolated($"[grey]note: {note}[/]");
        if (report.SkippedLines == 0) return;
        console.MarkupLineInterpolated($"[yellow]skipped {report.SkippedLines:N0} malformed lines[/], e.g.:");
        foreach (var example in report.SkippedExamples) console.MarkupLineInterpolated($"  [grey]{example}[/]");
    }
}
