using System.CommandLine;
using System.Diagnostics;
using Mender.Benchmark;
using Mender.Benchmark.Results;
using Mender.Benchmark.Runs;
using Mender.Cluster.Evaluation;
using Mender.Cluster.Jobs;
using Mender.Cluster.Storage;
using Mender.Data;
using Mender.Recommender.Baselines;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Evaluation;
using Mender.Recommender.Model;
using Mender.Recommender.SemanticIds;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender train | eval | recommend`: the generative retriever (tiger / mender modes) and its baselines.</summary>
internal static class TrainCommands
{
    public static IEnumerable<Command> Create()
    {
        yield return Train();
        yield return Eval();
    }

    private static Command Train()
    {
        var dataset = new Argument<string>("DATASET") { Description = "Dataset folder or file" };
        var mode = new Option<string>("--mode") { Description = "tiger (history only), mender (preference-conditioned) or sasrec (baseline)", DefaultValueFactory = _ => "tiger" };
        mode.AcceptOnlyFromAmong("tiger", "mender", "sasrec");
        var configFile = new Option<string?>("--config") { Description = "JSON config file ({\"model\": {...}, \"training\": {...}}); overrides --preset" };
        var preset = new Option<string>("--preset") { Description = "paper (d 128, 4+4 layers) or cpu (small, quick)", DefaultValueFactory = _ => "paper" };
        preset.AcceptOnlyFromAmong("paper", "cpu");
        var sidsDir = new Option<string?>("--sids") { Description = "A finished `mender sids build` directory (default: build into OUT/sids, or reuse it)" };
        var preferences = new Option<string?>("--preferences") { Description = "Preference store directory (mender mode)" };
        var outDir = new Option<string?>("--out") { Description = "Run directory (default .mender/runs/<dataset>/<mode>); an unfinished run there resumes" };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "The run's training time in minutes, resumed parts included: the learning rate anneals to it and the run stops cleanly there, keeping the best checkpoint" };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Override the configured number of steps (SASRec: epochs)" };
        var json = CommandOutput.JsonOption();
        var command = new Command("train", "Train the generative retriever (or SASRec) with validation, early stopping and resumable checkpoints")
        {
            dataset, mode, configFile, preset, sidsDir, preferences, outDir, maxMinutes, maxSteps, json,
        };
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var output = CommandOutput.For(parse, json);
            var modeName = parse.GetValue(mode)!;
            // Everything the command line alone can get wrong is reported before the dataset loads and the SIDs build.
            var limit = parse.GetValue(maxMinutes) is { } minutes
                ? minutes > 0 && double.IsFinite(minutes) ? TimeSpan.FromMinutes(minutes) : throw new CliUserException($"--max-minutes must be a positive number of minutes, got {minutes}")
                : (TimeSpan?)null;
            if (parse.GetValue(maxSteps) is < 1 and var badSteps) throw new CliUserException($"--max-steps must be at least 1, got {badSteps}");
            var givenOut = OutputPath.FolderIfGiven(parse.GetValue(outDir), "--out");
            var preferencePath = parse.GetValue(preferences) is { } p ? Path.GetFullPath(p) : null;
            if (modeName == "mender")
            {
                if (preferencePath is null) throw new CliUserException("mender mode needs --preferences DIR (a store made by `mender preferences extract`)");
                if (!Directory.Exists(preferencePath)) throw new CliUserException($"--preferences {preferencePath} is not a folder");
            }
            else if (preferencePath is not null)
            {
                throw new CliUserException($"--preferences is read by mender mode only, not {modeName} mode");
            }
            var givenSids = parse.GetValue(sidsDir) is { } s ? Path.GetFullPath(s) : null;
            if (givenSids is not null && !SidBuilder.IsFinished(givenSids))
                throw new CliUserException($"--sids {givenSids} is not a finished `mender sids build` folder");
            if (modeName == "sasrec" && parse.GetValue(configFile) is not null)
                throw new CliUserException("--config sets tiger and mender models; sasrec mode takes only --max-steps (epochs)");
            var menderMode = modeName == "mender" ? MenderMode.Mender : MenderMode.Tiger;
            var config = parse.GetValue(configFile) is { } file ? MenderConfig.Load(file) : MenderConfig.Preset(parse.GetValue(preset)!);
            config = config with { Model = config.Model with { Mode = menderMode } };
            if (parse.GetValue(maxSteps) is { } steps) config = config with { Training = config.Training with { MaxSteps = steps } };
            config.Model.ValidateSizes();
            config.Training.Validate();
            var datasetPath = Path.GetFullPath(parse.GetValue(dataset)!);
            var data = DatasetLoader.Load(datasetPath);
            if (data.Users.Count == 0)
                throw new CliUserException($"dataset {datasetPath} has no users ({data.Source}); training needs interaction histories");
            var directory = givenOut ?? OutputPath.Folder(Path.Combine(Workspace.Folder("runs", data.Name), modeName), "the run folder");
            output.Log($"[grey]{Markup.Escape(data.Name)}: {data.Users.Count} users, {data.Items.Count} items → {Markup.Escape(directory)}[/]");

            TrainResult result;
            object summary;
            if (modeName == "sasrec")
            {
                var sasrecConfig = new SasRecConfig();
                if (parse.GetValue(maxSteps) is { } epochs) sasrecConfig = sasrecConfig with { MaxEpochs = epochs };
                var trainer = new SasRecTrainer(LeaveOneOutSplit.Create(data, sasrecConfig.MaxLength), sasrecConfig);
                result = await RunWithProgress(output, "sasrec", (progress, token) => trainer.Train(directory, datasetPath, limit, progress, token), ct);
                summary = new { config = trainer.Config };
            }
            else
            {
                var sidsPath = givenSids ?? Path.Combine(directory, "sids");
                if (!SidBuilder.IsFinished(sidsPath)) output.Log($"[grey]building semantic IDs into {Markup.Escape(sidsPath)}[/]");
                var sids = givenSids is not null
                    ? SidBuilder.LoadFor(sidsPath, data)
                    : await SidBuilder.LoadOrBuildAsync(data, sidsPath, cancellation: ct);
                var recipe = new MenderTrainingRecipe(data, datasetPath, new TextEmbedders(data), TextEmbedders.LexicalSpec());
                var (trainer, info) = await recipe.PrepareAsync(config, sids, sidsPath, preferencePath, line => output.Log($"[grey]{Markup.Escape(line)}[/]"), ct);
                output.Log($"[grey]{trainer.SampleCount:N0} training samples, {new MenderModel(trainer.Config.Model).ParameterCount:N0} parameters[/]");
                result = await RunWithProgress(output, modeName, (progress, token) => trainer.Train(directory, info, limit, progress, token), ct);
                summary = new { config = trainer.Config, sids = sidsPath };
            }

            var document = new
            {
                mode = modeName,
                output_directory = directory,
                stop_reason = result.Reason.ToString(),
                resumed = result.Resumed,
                steps = result.Steps,
                best_step = result.BestStep,
                best_validation_ndcg_at_10 = result.BestNdcgAt10,
                wall_seconds = result.WallTime.TotalSeconds,
                final_loss = result.Losses.Count > 0 ? result.Losses[^1] : (float?)null,
                settings = summary,
            };
            output.Result(document, console =>
            {
                console.MarkupLineInterpolated($"[bold]{modeName}[/] stopped ({result.Reason}) at step {result.Steps} after {result.WallTime:hh\\:mm\\:ss}");
                console.MarkupLineInterpolated($"best validation NDCG@10 {result.BestNdcgAt10:F4} at step {result.BestStep}; checkpoint in [bold]{directory}[/]");
            });
            return result.Reason == StopReason.Cancelled ? 130 : 0;
        });
        return command;
    }

    private static Command Eval()
    {
        var dataset = new Argument<string>("DATASET") { Description = "Dataset folder or file" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Run directory written by `mender train`" };
        var baseline = new Option<string?>("--baseline") { Description = "Evaluate a baseline without a checkpoint: most-popular" };
        baseline.AcceptOnlyFromAmong("most-popular");
        var splitName = new Option<string>("--split") { Description = "test or valid", DefaultValueFactory = _ => "test" };
        splitName.AcceptOnlyFromAmong("test", "valid");
        var perUser = new Option<string?>("--per-user") { Description = "Write each user's result to this JSONL file" };
        var beam = new Option<int?>("--beam") { Description = "Beam width (default: the checkpoint's)" };
        var limit = new Option<int>("--limit") { Description = "Evaluate an evenly spaced subset of this many users (0 = all)", DefaultValueFactory = _ => 0 };
        var save = new Option<string?>("--save") { Description = "Write the result with its command, commit, seed and wall time to this JSON file (for `mender results table`)" };
        var cluster = ClusterCommands.ClusterOption(required: false);
        cluster.Description += "; the cases are shared out among its silos, and the figures are those of a single-process run";
        var json = CommandOutput.JsonOption();
        var command = new Command("eval", "Leave-one-out Recall@5/10 and NDCG@5/10 over the full catalogue")
        {
            dataset, checkpoint, baseline, splitName, perUser, beam, limit, save, cluster, json,
        };
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var output = CommandOutput.For(parse, json);
            var directory = parse.GetValue(checkpoint);
            var isBaseline = parse.GetValue(baseline) is not null;
            if (isBaseline && directory is not null) throw new CliUserException("give either --checkpoint or --baseline, not both");
            if (isBaseline && parse.GetValue(beam) is not null) throw new CliUserException("--beam applies to checkpoints, not to --baseline");
            if (parse.GetValue(beam) is < 1 and var badBeam) throw new CliUserException($"--beam must be at least 1, got {badBeam}");
            if (parse.GetValue(limit) is < 0 and var badLimit) throw new CliUserException($"--limit must be 0 (all users) or more, got {badLimit}");
            var perUserFile = parse.GetValue(perUser) is { } file ? OutputPath.File(file, "--per-user") : null;
            var saveFile = parse.GetValue(save) is { } saved ? OutputPath.File(saved, "--save") : null;
            var started = DateTimeOffset.UtcNow;
            var wall = Stopwatch.StartNew();
            var datasetPath = Path.GetFullPath(parse.GetValue(dataset)!);
            var data = DatasetLoader.Load(datasetPath);
            var test = parse.GetValue(splitName) == "test";
            if (!isBaseline && directory is null) throw new CliUserException("give --checkpoint DIR (or --baseline most-popular)");
            using var connection = parse.GetValue(cluster) is { } conn ? await ClusterConnection.OpenAsync(conn, ct) : null;
            var (recommender, cases) = await EvaluationTarget.OpenAsync(data, directory, parse.GetValue(baseline), test, parse.GetValue(beam), parse.GetValue(limit),
                line => output.Log($"[grey]{Markup.Escape(line)}[/]"), ct);
            var clock = Stopwatch.StartNew();
            EvaluationResult result = null!;
            await output.Err.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"evaluate {recommender.Name}", maxValue: Math.Max(1, cases.Count));
                    if (connection is null)
                    {
                        var progress = new ProgressRelay<(int Done, int Total)>(p => task.Value = p.Done);
                        result = await Task.Run(() => LeaveOneOutEvaluator.Evaluate(recommender, data, cases, EvaluationTarget.BatchSize, progress, ct), ct);
                        return;
                    }
                    var request = new EvaluationRequest(datasetPath, DatasetFingerprint.Of(data), directory is null ? null : Path.GetFullPath(directory),
                        parse.GetValue(baseline), test, parse.GetValue(beam), parse.GetValue(limit));
                    var lists = await ClusterEvaluation.RunAsync(connection, request, cases.Count, p =>
                    {
                        task.MaxValue = p.Total;
                        task.Value = p.Done;
                        task.Description = $"evaluate {recommender.Name} on the cluster (last slice: {p.Silo})";
                    }, ct);
                    result = LeaveOneOutEvaluator.Score(data, cases, lists);
                });
            if (perUserFile is not null) result.ExportJsonl(perUserFile);
            if (saveFile is not null)
                new EvalRecord(data.Name, recommender.Name, test ? "test" : "valid", result.Users, result.RecallAt5, result.RecallAt10, result.NdcgAt5,
                    result.NdcgAt10, Provenance.Of(CommandLineText.Of(parse), started, wall.Elapsed,
                        directory is null ? new Dictionary<string, ulong>() : new Dictionary<string, ulong> { [Path.GetFullPath(directory)] = TrainingSeed.Of(directory) }))
                    .Write(saveFile);
            var document = new Dictionary<string, object>
            {
                ["method"] = recommender.Name,
                ["split"] = test ? "test" : "valid",
                ["recall@5"] = result.RecallAt5,
                ["recall@10"] = result.RecallAt10,
                ["ndcg@5"] = result.NdcgAt5,
                ["ndcg@10"] = result.NdcgAt10,
                ["users"] = result.Users,
                ["seconds"] = clock.Elapsed.TotalSeconds,
            };
            output.Result(document, console =>
            {
                var table = new Table().AddColumns("method", "split", "users", "R@5", "R@10", "N@5", "N@10");
                table.AddRow(recommender.Name, test ? "test" : "valid", result.Users.ToString(), $"{result.RecallAt5:F4}", $"{result.RecallAt10:F4}",
                    $"{result.NdcgAt5:F4}", $"{result.NdcgAt10:F4}");
                console.Write(table);
            });
            return 0;
        });
        return command;
    }

    /// <summary>`mender bench recommend`: recommend latency of the beam search next to a dense retriever (an entry of the bench parent).</summary>
    internal static Command RecommendBench()
    {
        var items = new Option<int[]>("--items") { Description = "Catalogue sizes (synthetic SIDs)", DefaultValueFactory = _ => [12_101, 1_000_000], AllowMultipleArgumentsPerToken = true };
        var beam = new Option<int>("--beam") { Description = "Beam width", DefaultValueFactory = _ => 20 };
        var repeats = new Option<int>("--repeats") { Description = "Timed calls per measurement", DefaultValueFactory = _ => 50 };
        var batch = new Option<int>("--batch") { Description = "Users per call for the batched figure", DefaultValueFactory = _ => 64 };
        var preset = new Option<string>("--preset") { Description = "Model shape: paper (TIGER-sized) or cpu", DefaultValueFactory = _ => "paper" };
        preset.AcceptOnlyFromAmong("paper", "cpu");
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

    private static async Task<TrainResult> RunWithProgress(CommandOutput output, string name,
        Func<IProgress<TrainProgress>, CancellationToken, TrainResult> train, CancellationToken ct)
    {
        TrainProgress? latest = null;
        var relay = new ProgressRelay<TrainProgress>(p => Volatile.Write(ref latest, p));
        return await output.Err.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"train {name}", maxValue: 1);
                var run = Task.Run(() => train(relay, ct), CancellationToken.None);
                while (!run.IsCompleted)
                {
                    Render(task, Volatile.Read(ref latest));
                    await Task.WhenAny(run, Task.Delay(500, CancellationToken.None));
                }
                Render(task, Volatile.Read(ref latest));
                return await run;
            });
    }

    private static void Render(ProgressTask task, TrainProgress? p)
    {
        if (p is null) return;
        task.Value = p.Done;
        var eta = p.Eta < TimeSpan.FromDays(30) ? $"ETA {p.Eta:d\\.hh\\:mm\\:ss}" : "ETA --";
        var best = p.BestNdcgAt10 > 0 ? $" · best N@10 {p.BestNdcgAt10:F4} (step {p.BestStep})" : "";
        task.Description = $"step {p.Step:N0}/{p.MaxSteps:N0} · loss {p.Loss:F4} · {p.SamplesPerSecond:N0} samples/s · {eta}{best}";
    }
}
