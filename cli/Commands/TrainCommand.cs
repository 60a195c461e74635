using System.CommandLine;
using System.Diagnostics;
using Mender.Benchmark.Results;
using Mender.Benchmark.Runs;
using Mender.Data;
using Mender.Data.Runs;
using Mender.Recommender.Baselines;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Model;
using Mender.Recommender.SemanticIds;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender train`: the generative retriever (tiger and mender modes) or the SASRec baseline, with resumable checkpoints.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var dataset = new Argument<string>("DATASET") { Description = "Dataset folder or file" };
        var mode = new Option<string>("--mode") { Description = "tiger (history only), mender (preference-conditioned) or sasrec (baseline)", DefaultValueFactory = _ => "tiger" };
        mode.AcceptOnlyFromAmong("tiger", "mender", "sasrec");
        var configFile = new Option<string?>("--config") { Description = "JSON config file ({\"model\": {...}, \"training\": {...}}); overrides --preset and the default recipe" };
        var preset = new Option<string?>("--preset") { Description = "paper (d 128, 4+4 layers), medium (d 128, 2+2) or cpu (d 64, 2+2, quick) instead of the default recipe, which fits the model and schedule to the dataset and --max-minutes" };
        preset.AcceptOnlyFromAmong([.. MenderConfig.PresetNames]);
        var sidsDir = new Option<string?>("--sids") { Description = "A finished `mender sids build` directory (default: build into OUT/sids, or reuse it)" };
        var cooccurrence = new Option<double?>("--cooccurrence")
        {
            Description = "When the SIDs are built here (no --sids): the share (0 to 1) of each item vector given to how items co-occur in training histories; 0 is text alone (default: 0.8; a resumed run keeps the SIDs it began with)",
        };
        var preferences = new Option<string?>("--preferences") { Description = "Preference store directory (mender mode)" };
        var outDir = new Option<string?>("--out") { Description = "Run directory (default .mender/runs/<dataset>/<mode>); an unfinished run there resumes" };
        var maxMinutes = new Option<double?>("--max-minutes") { Description = "The run's training time in minutes, resumed parts included: the learning rate anneals to it and the run stops cleanly there, keeping the best checkpoint" };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Override the configured number of steps (SASRec: epochs)" };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the initial weights, batch order and dropout (default 42); repeated runs of one recipe differ only in it" };
        var json = CommandOutput.JsonOption();
        var command = new Command("train", "Train the generative retriever (or SASRec) with validation, early stopping and resumable checkpoints")
        {
            dataset, mode, configFile, preset, sidsDir, cooccurrence, preferences, outDir, maxMinutes, maxSteps, seed, json,
        };
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var output = CommandOutput.For(parse, json);
            var started = DateTimeOffset.UtcNow;
            var wall = Stopwatch.StartNew();
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
            var givenShare = parse.GetValue(cooccurrence);
            if (givenShare is { } share)
            {
                if (givenSids is not null) throw new CliUserException("--cooccurrence sets how SIDs are built here; --sids gives SIDs already built");
                if (modeName == "sasrec") throw new CliUserException("--cooccurrence sets the SIDs of tiger and mender modes; sasrec mode has none");
                if (!(share is >= 0 and <= 1)) throw new CliUserException($"--cooccurrence must be a share from 0 to 1, got {share}");
            }
            if (modeName == "sasrec" && parse.GetValue(configFile) is not null)
                throw new CliUserException("--config sets tiger and mender models; sasrec mode takes only --max-steps (epochs)");
            var menderMode = modeName == "mender" ? MenderMode.Mender : MenderMode.Tiger;
            var config = parse.GetValue(configFile) is { } file ? MenderConfig.Load(file)
                : parse.GetValue(preset) is { } name ? MenderConfig.Preset(name)
                : null;
            if (config is not null)
            {
                config = Override(config with { Model = config.Model with { Mode = menderMode } }, parse.GetValue(maxSteps), parse.GetValue(seed));
                config.Model.ValidateSizes();
                config.Training.Validate();
            }
            var datasetPath = Path.GetFullPath(parse.GetValue(dataset)!);
            var data = DatasetLoader.Load(datasetPath);
            if (data.Users.Count == 0)
                throw new CliUserException($"dataset {datasetPath} has no users ({data.Source}); training needs interaction histories");
            var directory = givenOut ?? OutputPath.Folder(Path.Combine(Workspace.Folder("runs", data.Name), modeName), "the run folder");
            output.Log($"[grey]{Markup.Escape(data.Name)}: {data.Users.Count} users, {data.Items.Count} items → {Markup.Escape(directory)}[/]");
            if (parse.GetValue(seed) is { } wanted && RunDirectory.HoldsCheckpoint(directory) && TrainingSeed.Of(directory) is var begun && begun != wanted)
                throw new CliUserException($"the run in {directory} began with seed {begun}; a run with --seed {wanted} needs another --out");

            void Record(long steps, long bestStep, string reason) =>
                new TrainingRecord(Provenance.Of(CommandLineText.Of(parse), started, wall.Elapsed,
                    new Dictionary<string, ulong> { [directory] = TrainingSeed.Of(directory) }), steps, bestStep, reason).WriteTo(directory);
            IProgress<TrainProgress> Noting(IProgress<TrainProgress> progress) => new ProgressRelay<TrainProgress>(p =>
            {
                if (p.ValidationNdcgAt10 is not null) Record(p.Step, p.BestStep, TrainingRecord.Unfinished);
                progress.Report(p);
            });

            TrainResult result;
            object summary;
            if (modeName == "sasrec")
            {
                var sasrecConfig = new SasRecConfig();
                if (parse.GetValue(maxSteps) is { } epochs) sasrecConfig = sasrecConfig with { MaxEpochs = epochs };
                if (parse.GetValue(seed) is { } sasrecSeed) sasrecConfig = sasrecConfig with { Seed = sasrecSeed };
                var trainer = new SasRecTrainer(LeaveOneOutSplit.Create(data, sasrecConfig.MaxLength), sasrecConfig);
                result = await RunWithProgress(output, "sasrec", (progress, token) => trainer.Train(directory, datasetPath, limit, Noting(progress), token), ct);
                summary = new { config = trainer.Config };
            }
            else
            {
                var sidsPath = givenSids ?? Path.Combine(directory, "sids");
                SidTable sids;
                // A run resumed without --cooccurrence keeps the SIDs it began with, whatever today's default.
                if (givenSids is not null || (givenShare is null && SidBuilder.IsFinished(sidsPath)))
                    sids = SidBuilder.LoadFor(sidsPath, data);
                else
                {
                    var weight = givenShare ?? DefaultRecipe.CooccurrenceShare;
                    output.Log($"[grey]semantic IDs into {Markup.Escape(sidsPath)}: " +
                        (weight > 0 ? $"item text with co-occurrence as {weight:0.##} of each vector" : "item text alone") + "[/]");
                    var options = new SidBuildOptions { Cooccurrence = new CooccurrenceOptions { Weight = weight } };
                    sids = await SidBuilder.LoadOrBuildAsync(data, sidsPath, options, cancellation: ct);
                }
                var recipe = new MenderTrainingRecipe(data, datasetPath, new TextEmbedders(data), TextEmbedders.LexicalSpec());
                void Log(string line) => output.Log($"[grey]{Markup.Escape(line)}[/]");
                MenderTrainer trainer;
                MenderCheckpointInfo info;
                if (config is not null)
                {
                    (trainer, info) = await recipe.PrepareAsync(config, sids, sidsPath, preferencePath, Log, ct);
                }
                else
                {
                    RecipeChoice choice;
                    (trainer, info, choice) = await recipe.PrepareDefaultAsync(menderMode, limit, directory, sids, sidsPath, preferencePath, Log, ct);
                    foreach (var rule in choice.Rules) Log($"recipe: {rule}");
                    if (parse.GetValue(maxSteps) is not null || parse.GetValue(seed) is not null)
                        trainer = trainer.With(Override(trainer.Config, parse.GetValue(maxSteps), parse.GetValue(seed)));
                }
                output.Log($"[grey]{trainer.SampleCount:N0} training samples, {new MenderModel(trainer.Config.Model).ParameterCount:N0} parameters[/]");
                result = await RunWithProgress(output, modeName, (progress, token) => trainer.Train(directory, info, limit, Noting(progress), token), ct);
                summary = new { config = trainer.Config, sids = sidsPath };
            }

            Record(result.Steps, result.BestStep, result.Reason.ToString());
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

    /// <summary>The command line's --max-steps and --seed over a config's own.</summary>
    private static MenderConfig Override(MenderConfig config, int? steps, ulong? seed) => config with
    {
        Model = config.Model with { Seed = seed ?? config.Model.Seed },
        Training = config.Training with { MaxSteps = steps ?? config.Training.MaxSteps, Seed = seed ?? config.Training.Seed },
    };

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
                var result = await run;
                output.EndProgress(task);
                return result;
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
