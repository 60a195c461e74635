using System.CommandLine;
using System.Diagnostics;
using Mender.Benchmark.Results;
using Mender.Benchmark.Runs;
using Mender.Cluster.Evaluation;
using Mender.Cluster.Jobs;
using Mender.Cluster.Storage;
using Mender.Data;
using Mender.Recommender.Evaluation;
using Mender.Recommender.SemanticIds;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender eval`: leave-one-out figures of a checkpoint or a baseline, on this machine or shared out over a cluster.</summary>
internal static class EvalCommand
{
    public static Command Create()
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
                        output.EndProgress(task);
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
                    output.EndProgress(task);
                });
            if (perUserFile is not null) result.ExportJsonl(perUserFile);
            if (saveFile is not null)
                new EvalRecord(data.Name, recommender.Name, test ? "test" : "valid", result.Users, result.RecallAt5, result.RecallAt10, result.NdcgAt5,
                    result.NdcgAt10, Provenance.Of(CommandLineText.Of(parse), started, wall.Elapsed,
                        directory is null ? new Dictionary<string, ulong>() : new Dictionary<string, ulong> { [Path.GetFullPath(directory)] = TrainingSeed.Of(directory) }))
                {
                    Training = directory is null ? null : TrainingRecord.ReadAll(directory),
                }.Write(saveFile);
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
}
