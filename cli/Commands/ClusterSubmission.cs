using Mender.Cluster;
using Mender.Cluster.Jobs;
using Mender.Cluster.Storage;
using Mender.Llm.Runtime;
using Mender.Preference.Extraction;
using Mender.Preference.Lexicon;
using Mender.Preference.Storage;
using Mender.Data;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>
/// `mender preferences extract DATASET --cluster CONN`: plans the job into leases, submits it to the cluster, follows
/// it to the end and exports the rows into the same <c>preferences.db</c> a single-process run writes. Submitting the
/// same job again resumes it: its id is a hash of the dataset, extractor and options.
/// </summary>
internal static class ClusterSubmission
{
    private static readonly TimeSpan PlainEvery = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(CommandOutput output, Dataset data, string datasetPath, string? modelPath, ExtractionOptions options,
        string cluster, int leaseUsers, int leaseSeconds, string storeFolder, CancellationToken cancellation)
    {
        var (extractor, model) = Identity(data, modelPath);
        var request = JobPlanner.Plan(data, datasetPath, options, extractor, model, leaseUsers, leaseSeconds);
        using var connection = await ClusterConnection.OpenAsync(cluster, cancellation);
        // Claimed before submitting, so a store that belongs to another dataset or extractor is refused before any work.
        using var store = PreferenceStore.Open(storeFolder);
        store.Bind(data.Name, extractor, model);
        output.Debug($"job {request.Id}: {request.Prompts} prompts of {request.Users} users in {request.Leases.Count} leases");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var final = Console.IsErrorRedirected || output.Json
            ? await FollowPlain(output, connection, request, cancellation)
            : await FollowBar(output, connection, request, cancellation);
        var exported = await ClusterPreferenceRows.ExportAsync(connection, request.Id, store, data.Name, extractor, model, cancellation);
        var seconds = clock.Elapsed.TotalSeconds;
        var document = new
        {
            job = request.Id,
            prompts = final.Prompts,
            completed = final.Completed,
            failed = final.Failed,
            leases = final.Leases,
            extractor,
            model,
            seconds = Math.Round(seconds, 3),
            dataset = data.Name,
            exported,
            store = store.Path,
            cluster = connection.Where,
        };
        output.Result(document, console =>
        {
            var table = new Table().HideHeaders().AddColumn("").AddColumn("");
            table.AddRow("job", request.Id);
            table.AddRow("dataset", Markup.Escape(data.Name));
            table.AddRow("extractor", Markup.Escape(extractor + (model is null ? "" : $" ({model})")));
            table.AddRow("prompts", $"{final.Prompts:N0} in {final.Leases:N0} leases");
            table.AddRow("completed", $"{final.Completed:N0}");
            table.AddRow("failed", final.Failed == 0 ? "0" : $"[yellow]{final.Failed:N0}[/]");
            table.AddRow("time", $"{seconds:F1} s");
            table.AddRow("store", Markup.Escape(store.Path));
            console.Write(table);
        });
        return 0;
    }

    /// <summary>The extractor the silos must host; a model is named from its GGUF header without loading its weights.</summary>
    private static (string Extractor, string? Model) Identity(Dataset data, string? modelPath)
    {
        if (modelPath is null) return (LexiconPreferenceExtractor.For(data).Name, null);
        using var vocabulary = LlmModel.LoadVocabulary(modelPath);
        return (ChatPreferenceExtractor.ExtractorName, vocabulary.Name);
    }

    private static async Task<JobProgress> FollowPlain(CommandOutput output, ClusterConnection connection, JobRequest request, CancellationToken cancellation)
    {
        var last = DateTime.MinValue;
        return await ClusterExtraction.RunAsync(connection, request, progress =>
        {
            if (DateTime.UtcNow - last < PlainEvery && progress.Status == "running") return;
            last = DateTime.UtcNow;
            output.Err.WriteLine(Describe(progress));
        }, cancellation);
    }

    private static async Task<JobProgress> FollowBar(CommandOutput output, ClusterConnection connection, JobRequest request, CancellationToken cancellation) =>
        await output.Err.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("cluster", maxValue: Math.Max(1, request.Prompts));
                var result = await ClusterExtraction.RunAsync(connection, request, progress =>
                {
                    task.Value = progress.Done;
                    task.Description = Markup.Escape(Describe(progress));
                }, cancellation);
                output.EndProgress(task);
                return result;
            });

    /// <summary>done/total, leases, each silo's pace and the ETA, in one line.</summary>
    private static string Describe(JobProgress progress)
    {
        var silos = progress.Silos.Count == 0
            ? "no silo finished a prompt in the last " + JobProgress.RateWindowSeconds + " s"
            : string.Join(", ", progress.Silos.Select(s => $"{s.Silo} {s.PromptsPerSecond:N1}/s"));
        var eta = progress.Remaining is { } left ? $"ETA {left:hh\\:mm\\:ss}" : "ETA --:--:--";
        return $"{progress.Job}: {progress.Done:N0}/{progress.Prompts:N0} prompts · leases {progress.LeasesDone}/{progress.Leases} · {silos} · {eta}";
    }
}
