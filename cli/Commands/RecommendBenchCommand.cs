using System.CommandLine;
using Mender.Benchmark;
using Mender.Recommender.Model;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender bench recommend`: recommend latency of the beam search next to a dense retriever (an entry of the bench parent).</summary>
internal static class RecommendBenchCommand
{
    public static Command Create()
    {
        var items = new Option<int[]>("--items") { Description = "Catalogue sizes (synthetic SIDs)", DefaultValueFactory = _ => [12_101, 1_000_000], AllowMultipleArgumentsPerToken = true };
        var beam = new Option<int>("--beam") { Description = "Beam width", DefaultValueFactory = _ => 20 };
        var repeats = new Option<int>("--repeats") { Description = "Timed calls per measurement", DefaultValueFactory = _ => 50 };
        var batch = new Option<int>("--batch") { Description = "Users per call for the batched figure", DefaultValueFactory = _ => 64 };
        var preset = new Option<string>("--preset") { Description = "Model shape: paper (TIGER-sized), medium or cpu", DefaultValueFactory = _ => "paper" };
        preset.AcceptOnlyFromAmong([.. MenderConfig.PresetNames]);
        var json = CommandOutput.JsonOption();
        var command = new Command("recommend", "Recommend latency per user (p50/p99): trie-constrained beam search vs brute-force dense retrieval")
        {
            items, beam, repeats, batch, preset, json,
        };
        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            var output = CommandOutput.For(parse, json);
            var sizes = parse.GetValue(items)!;
            if (sizes.Any(n => n < 1)) throw new CliUserException($"--items must list catalogue sizes of at least 1, got {string.Join(' ', sizes)}");
            if (parse.GetValue(repeats) < 1) throw new CliUserException($"--repeats must be at least 1, got {parse.GetValue(repeats)}");
            if (parse.GetValue(batch) < 1) throw new CliUserException($"--batch must be at least 1, got {parse.GetValue(batch)}");
            var options = new RecommendLatencyOptions
            {
                Catalogues = sizes,
                Beam = parse.GetValue(beam),
                Repeats = parse.GetValue(repeats),
                Batch = parse.GetValue(batch),
                Model = MenderConfig.Preset(parse.GetValue(preset)!).Model,
            };
            if (options.Beam < options.K) throw new ArgumentException($"--beam must be at least {options.K}");
            var report = RecommendLatencyBenchmark.Run(options, line => output.Err.MarkupLineInterpolated($"[grey]{line}[/]"), ct);
            var document = new
            {
                beam = options.Beam,
                k = options.K,
                parameters = report.Parameters,
                threads = report.Threads,
                peak_rss_mb = Math.Round(report.PeakRssMb, 1),
                results = report.Results.Select(r => new
                {
                    method = r.Method,
                    items = r.Items,
                    batch = r.Batch,
                    p50_ms = Math.Round(r.P50Ms, 3),
                    p99_ms = Math.Round(r.P99Ms, 3),
                    mean_ms = Math.Round(r.MeanMs, 3),
                }).ToArray(),
            };
            output.Result(document, console =>
            {
                var table = new Table().AddColumns("method", "items", "batch", "p50 ms/user", "p99 ms/user");
                foreach (var r in report.Results)
                    table.AddRow(r.Method, r.Items.ToString("N0"), r.Batch.ToString(), $"{r.P50Ms:F2}", $"{r.P99Ms:F2}");
                console.Write(table);
                console.MarkupLineInterpolated($"[grey]beam {options.Beam}, {report.Parameters:N0} parameters, {report.Threads} threads, peak RSS {report.PeakRssMb:F0} MB[/]");
            });
            return Task.FromResult(0);
        });
        return command;
    }
}
