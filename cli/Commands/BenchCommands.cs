using System.CommandLine;
using System.Globalization;
using Mender.Benchmark;
using Mender.Numerics.Kernels;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender bench ...`: speed benchmarks. Each sub-command is one entry of <see cref="SubCommands"/>.</summary>
internal static class BenchCommands
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks: speed (train step, GEMM, recommend latency) and the five-axis preference benchmark (build, run)");
        foreach (var command in SubCommands())
            bench.Subcommands.Add(command);
        return bench;
    }

    private static IEnumerable<Command> SubCommands()
    {
        yield return TrainStep();
        yield return Gemm();
        yield return RecommendBenchCommand.Create();
        yield return ServeCommands.Bench();
        yield return ConversationBenchCommand.Create();
        foreach (var command in PreferenceBenchCommands.SubCommands()) yield return command;
    }

    private static Option<int> ThreadsOption() => new("--threads", "-t")
    {
        Description = "Compute threads for kernels and OpenBLAS (default: one per core)",
        DefaultValueFactory = _ => 0,
    };

    private static Option<string> GemmOption(string defaultValue) => new("--gemm")
    {
        Description = "GEMM backend: auto, managed, openblas, or both (alternating in one run)",
        DefaultValueFactory = _ => defaultValue,
    };

    private static void ApplyThreads(int threads)
    {
        if (threads < 0) throw new ArgumentException($"--threads must be positive, got {threads}");
        Compute.Threads = threads == 0 ? Environment.ProcessorCount : threads;
    }

    private static IReadOnlyList<GemmBackend> Backends(string value) => value.ToLowerInvariant() switch
    {
        "auto" => [GemmBackend.Auto],
        "managed" => [GemmBackend.Managed],
        "openblas" => OpenBlas.IsAvailable ? [GemmBackend.OpenBlas]
            : throw new NotSupportedException("OpenBLAS is not installed (libopenblas0-pthread); use --gemm managed"),
        "both" => GemmBenchmark.AvailableBackends().Reverse().ToList(),
        _ => throw new ArgumentException($"--gemm must be auto, managed, openblas or both, not '{value}'"),
    };

    private static Command TrainStep()
    {
        var threads = ThreadsOption();
        var steps = new Option<int>("--steps") { Description = "Timed steps per backend (after one warm-up)", DefaultValueFactory = _ => 5 };
        var batch = new Option<int>("--batch") { Description = "Sequences per step", DefaultValueFactory = _ => 256 };
        var noDropout = new Option<bool>("--no-dropout") { Description = "Train without dropout (default: dropout 0.1)" };
        var gemm = GemmOption("auto");
        var model = new Option<string>("--model")
        {
            Description = "seq2seq (generic TIGER-sized encoder-decoder), mender-cpu or mender-paper (the Mender model in tiger mode, " +
                "stepped as `mender train` steps it, on random histories over 12,101 synthetic items), or sasrec (its defaults, " +
                "stepped as `mender train --mode sasrec` steps it, on random sequences over as many items)",
            DefaultValueFactory = _ => "seq2seq",
        };
        model.AcceptOnlyFromAmong("seq2seq", "mender-cpu", "mender-paper", "sasrec");
        var split = new Option<string>("--split")
        {
            Description = "How threads share a step: samples (data-parallel shards of 64 samples, as `mender train` runs), " +
                "operations (the whole batch one tape, each operation split across threads), or both (alternating in one run)",
            DefaultValueFactory = _ => "samples",
        };
        split.AcceptOnlyFromAmong("samples", "operations", "both");
        var json = CommandOutput.JsonOption();
        var command = new Command("train-step",
            "Time training steps (forward, cross-entropy, backward, AdamW). seq2seq: a TIGER-sized encoder-decoder, d 128, 4+4 layers, " +
            "6 heads × 64, FF 1024, ReLU, encoder length 80, decoder length 5, vocabulary 1026; mender-*: the Mender model with a preset")
        {
            threads, steps, batch, noDropout, gemm, model, split, json,
        };
        command.SetAction((ParseResult parse, CancellationToken cancellation) =>
        {
            var output = CommandOutput.For(parse, json);
            ApplyThreads(parse.GetValue(threads));
            var stepCount = parse.GetValue(steps);
            var batchSize = parse.GetValue(batch);
            if (stepCount < 1) throw new ArgumentException($"--steps must be at least 1, got {stepCount}");
            if (batchSize < 1) throw new ArgumentException($"--batch must be at least 1, got {batchSize}");
            var options = new TrainStepOptions
            {
                Steps = stepCount,
                Batch = batchSize,
                Dropout = !parse.GetValue(noDropout),
                Backends = Backends(parse.GetValue(gemm)!),
                Splits = parse.GetValue(split) switch
                {
                    "operations" => [StepSplit.Operations],
                    "both" => [StepSplit.Samples, StepSplit.Operations],
                    _ => [StepSplit.Samples],
                },
                Model = parse.GetValue(model) switch
                {
                    "mender-cpu" => TrainStepModel.MenderCpu,
                    "mender-paper" => TrainStepModel.MenderPaper,
                    "sasrec" => TrainStepModel.SasRec,
                    _ => TrainStepModel.Seq2Seq,
                },
            };
            var report = TrainStepBenchmark.Run(options, line => output.Err.MarkupLineInterpolated($"[grey]{line}[/]"), cancellation);
            var main = report.Timings[0];
            var document = new
            {
                samples_per_s = Math.Round(main.SamplesPerSecond, 2),
                ms_per_step = Math.Round(main.MsPerStep, 1),
                peak_rss_mb = Math.Round(report.PeakRssMb, 1),
                buffer_pool_mb = Math.Round(report.BufferPoolMb, 1),
                gemm = main.Gemm,
                split = main.Split,
                threads = report.Threads,
                batch = options.Batch,
                steps = options.Steps,
                model = parse.GetValue(model),
                dropout = report.Dropout,
                parameters = report.Parameters,
                first_loss = report.FirstLoss,
                last_loss = report.LastLoss,
                backends = report.Timings.Select(t => new
                {
                    gemm = t.Gemm,
                    split = t.Split,
                    samples_per_s = Math.Round(t.SamplesPerSecond, 2),
                    ms_per_step = Math.Round(t.MsPerStep, 1),
                    step_ms = t.StepMs.Select(ms => Math.Round(ms, 1)).ToArray(),
                }).ToArray(),
            };
            output.Result(document, console =>
            {
                var table = new Table().AddColumns("GEMM", "split", "ms/step (median)", "samples/s", "steps (ms)");
                foreach (var t in report.Timings)
                    table.AddRow(t.Gemm, t.Split, t.MsPerStep.ToString("F0", CultureInfo.InvariantCulture),
                        t.SamplesPerSecond.ToString("F1", CultureInfo.InvariantCulture),
                        string.Join(" ", t.StepMs.Select(ms => ms.ToString("F0", CultureInfo.InvariantCulture))));
                console.Write(table);
                console.MarkupLineInterpolated(
                    $"batch {options.Batch}, {report.Threads} threads, dropout {(report.Dropout > 0 ? report.Dropout.ToString(CultureInfo.InvariantCulture) : "off")}, {report.Parameters:N0} parameters, peak RSS {report.PeakRssMb:F0} MB (tensor buffers {report.BufferPoolMb:F0} MB)");
            });
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Gemm()
    {
        var threads = ThreadsOption();
        var seconds = new Option<double>("--seconds") { Description = "Time budget per shape", DefaultValueFactory = _ => 1.0 };
        var gemm = GemmOption("both");
        var json = CommandOutput.JsonOption();
        var command = new Command("gemm", "GFLOP/s of C = A·B for 512×512×512 and 4096×128×1024 on each GEMM backend")
        {
            threads, seconds, gemm, json,
        };
        command.SetAction((ParseResult parse, CancellationToken cancellation) =>
        {
            var output = CommandOutput.For(parse, json);
            ApplyThreads(parse.GetValue(threads));
            var budget = parse.GetValue(seconds);
            if (!(budget > 0)) throw new ArgumentException($"--seconds must be positive, got {budget}");
            var results = GemmBenchmark.Run(GemmBenchmark.DefaultShapes, Backends(parse.GetValue(gemm)!), budget, cancellation);
            var document = new
            {
                gemm_gflops = results.GroupBy(r => $"{r.M}x{r.N}x{r.K}")
                    .ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Backend, r => Math.Round(r.Gflops, 1))),
                threads = Compute.Threads,
                openblas = OpenBlas.Config,
                results = results.Select(r => new { backend = r.Backend, m = r.M, n = r.N, k = r.K, ms = Math.Round(r.MsPerCall, 3), gflops = Math.Round(r.Gflops, 1) }).ToArray(),
            };
            output.Result(document, console =>
            {
                var table = new Table().AddColumns("shape (M×N×K)", "backend", "ms", "GFLOP/s");
                foreach (var r in results)
                    table.AddRow($"{r.M}×{r.N}×{r.K}", r.Backend, r.MsPerCall.ToString("F2", CultureInfo.InvariantCulture),
                        r.Gflops.ToString("F1", CultureInfo.InvariantCulture));
                console.Write(table);
                console.MarkupLineInterpolated($"{Compute.Threads} threads; OpenBLAS: {OpenBlas.Config ?? "not installed"}");
            });
            return Task.FromResult(0);
        });
        return command;
    }
}
