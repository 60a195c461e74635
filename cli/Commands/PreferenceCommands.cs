using System.CommandLine;
using Mender.Data;
using Mender.Llm.Adapters;
using Mender.Preference.Extraction;
using Mender.Preference.Lexicon;
using Mender.Preference.Prompts;
using Mender.Preference.Sentiment;
using Mender.Preference.Storage;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender preferences extract|show`: preferences written from users' reviews, kept in a resumable SQLite store.</summary>
internal static class PreferenceCommands
{

    public static Command Create()
    {
        var command = new Command("preferences", "Preferences written from users' reviews: extract them (LLM or built-in) and show them");
        command.Subcommands.Add(Extract());
        command.Subcommands.Add(Show());
        return command;
    }

    private static Command Extract()
    {
        var dataset = new Argument<string>("DATASET") { Description = "Dataset folder or file" };
        var model = new Option<string?>("--model") { Description = "GGUF model to write preferences with; without it the built-in lexicon extractor runs" };
        var outDir = new Option<string?>("--out") { Description = "Folder of the preference store (default .mender/preferences/<dataset>)" };
        var limitUsers = new Option<int?>("--limit-users") { Description = "Only the first N users, for quick runs" };
        var parallel = new Option<int?>("--parallel") { Description = "Prompts in flight at once, decoded as one batch with a model (default: 4 with a model, one per core without)" };
        var attempts = new Option<int>("--attempts") { Description = "Attempts per prompt before it is recorded as failed", DefaultValueFactory = _ => 3 };
        var prompts = new Option<string?>("--prompts") { Description = "Folder with the prompt files to use instead of the shipped ones" };
        var reviewChars = new Option<int>("--max-review-chars")
        {
            Description = "Cut each review in a prompt to this many characters (keeps prompts within a small model's context)",
            DefaultValueFactory = _ => 700,
        };
        var context = new Option<int>("--context")
        {
            Description = "Tokens of context per prompt with a model (prompt plus answer); longer prompts drop their oldest reviews, then cut long ones",
            DefaultValueFactory = _ => 2048,
        };
        var cluster = ClusterCommands.ClusterOption(required: false);
        var leaseUsers = new Option<int>("--lease-users") { Description = "With --cluster: users per lease, the unit a silo takes", DefaultValueFactory = _ => 25 };
        var leaseSeconds = new Option<int>("--lease-seconds")
        {
            Description = "With --cluster: a lease not renewed for this long (its silo died) is taken by another silo",
            DefaultValueFactory = _ => 30,
        };
        var noPrefixReuse = new Option<bool>("--no-prefix-reuse") { Description = "Evaluate every prompt whole instead of reusing the cached instructions (for measurements)" };
        var load = new LlmModelArguments();
        var json = CommandOutput.JsonOption();
        var command = new Command("extract",
            "Write preferences for every user and time step (the last 20 interactions, windows of 5 reviews) into a resumable store")
        {
            dataset, model, outDir, limitUsers, parallel, attempts, prompts, reviewChars, context, noPrefixReuse, cluster, leaseUsers, leaseSeconds, json,
        };
        foreach (var option in load.All) command.Options.Add(option);
        ExtractionOptions Options(ParseResult parse, int inFlight) => new()
        {
            Parallelism = inFlight,
            MaxAttempts = parse.GetValue(attempts),
            LimitUsers = parse.GetValue(limitUsers),
            MaxReviewChars = parse.GetValue(reviewChars),
        };
        command.SetAction(async (ParseResult parse, CancellationToken cancellation) =>
        {
            var output = CommandOutput.For(parse, json);
            var outFolder = OutputPath.FolderIfGiven(parse.GetValue(outDir), "--out");
            var data = LoadDataset(parse.GetValue(dataset)!, output);
            var library = PromptLibrary.Load(parse.GetValue(prompts));
            var modelPath = parse.GetValue(model);
            var inFlight = parse.GetValue(parallel) ?? (modelPath is null ? Environment.ProcessorCount : 4);
            if (parse.GetValue(cluster) is { } clusterText)
            {
                var clusterOptions = Options(parse, inFlight);
                clusterOptions.Validate();
                return await ClusterSubmission.RunAsync(output, data, parse.GetValue(dataset)!, modelPath, clusterOptions, clusterText,
                    parse.GetValue(leaseUsers), parse.GetValue(leaseSeconds), outFolder ?? OutputPath.Folder(DefaultStore(data), "the preference store"), cancellation);
            }
            using var client = modelPath is null ? null : OpenModel(modelPath, new LocalChatClientOptions
            {
                ParallelRequests = inFlight,
                ContextLength = parse.GetValue(context),
                ReusePromptPrefixes = !parse.GetValue(noPrefixReuse),
                Model = load.Read(parse),
            }, output);
            IPreferenceExtractor extractor = client is null ? LexiconPreferenceExtractor.For(data) : new ChatPreferenceExtractor(client, library, client.ModelId);
            var options = Options(parse, inFlight);
            // Before the store is created, so that bad options leave no empty store behind.
            options.Validate();
            using var store = PreferenceStore.Open(outFolder ?? OutputPath.Folder(DefaultStore(data), "the preference store"));
            var job = new ExtractionJob(data, extractor, library, options);
            output.Debug($"extractor {extractor.Name}, prompts from {library.Directory}, store {store.Path}");
            var summary = await RunWithProgress(output, job, store, cancellation);

            var seconds = summary.Elapsed.TotalSeconds;
            var document = new
            {
                prompts = summary.Prompts,
                completed = summary.Completed,
                failed = summary.Failed,
                fitted = summary.Fitted,
                extractor = summary.Extractor,
                model = summary.Model,
                resumed = summary.Resumed,
                ranNow = summary.RanNow,
                inputTokens = summary.InputTokens,
                outputTokens = summary.OutputTokens,
                seconds = Math.Round(seconds, 3),
                promptsPerSecond = seconds > 0 ? Math.Round(summary.RanNow / seconds, 2) : 0,
                tokensPerSecond = seconds > 0 ? Math.Round((summary.InputTokens + summary.OutputTokens) / seconds, 1) : 0,
                dataset = data.Name,
                store = summary.Store,
            };
            output.Result(document, console =>
            {
                var table = new Table().HideHeaders().AddColumn("").AddColumn("");
                table.AddRow("dataset", Markup.Escape(data.Name));
                table.AddRow("extractor", Markup.Escape(summary.Extractor + (summary.Model is null ? "" : $" ({summary.Model})")));
                table.AddRow("prompts", $"{summary.Prompts:N0} ({summary.Resumed:N0} done by earlier runs, {summary.RanNow:N0} now)");
                table.AddRow("completed", $"{summary.Completed:N0}");
                table.AddRow("failed", summary.Failed == 0 ? "0" : $"[yellow]{summary.Failed:N0}[/]");
                table.AddRow("shortened to fit", $"{summary.Fitted:N0}");
                table.AddRow("time", $"{seconds:F1} s, {document.promptsPerSecond:N2} prompts/s" +
                    (summary.InputTokens + summary.OutputTokens > 0 ? $", {document.tokensPerSecond:N1} tokens/s" : ""));
                table.AddRow("store", Markup.Escape(summary.Store));
                console.Write(table);
            });
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var dataset = new Argument<string>("DATASET") { Description = "Dataset folder or file" };
        var user = new Option<string>("--user") { Description = "User id as in the dataset (or its dense index)", Required = true };
        var outDir = new Option<string?>("--out") { Description = "Folder of the preference store (default .mender/preferences/<dataset>)" };
        var json = CommandOutput.JsonOption();
        var command = new Command("show", "Show a user's stored preferences, step by step") { dataset, user, outDir, json };
        command.SetAction(parse =>
        {
            var output = CommandOutput.For(parse, json);
            var data = LoadDataset(parse.GetValue(dataset)!, output);
            var who = FindUser(data, parse.GetValue(user)!);
            using var store = PreferenceStore.OpenExisting(parse.GetValue(outDir) ?? DefaultStore(data));
            var rows = store.Rows(who.ExternalId);
            var steps = rows.Select(r => new
            {
                step = r.Step,
                windowStart = r.WindowStart,
                item = r.Step < who.Interactions.Count ? data.Items[who.Interactions[r.Step].ItemId].Title : null,
                rating = r.Step < who.Interactions.Count ? who.Interactions[r.Step].Rating : null,
                status = PreferenceStore.StatusName(r.Status),
                preferences = r.Preferences.Select(p => new { text = p.Text, sentiment = p.Sentiment.ToName() }).ToArray(),
                sentimentBy = r.SentimentBy,
                attempts = r.Attempts,
                error = r.Error,
                promptHash = r.PromptHash,
            }).ToArray();
            var document = new
            {
                dataset = data.Name,
                user = who.ExternalId,
                userIndex = who.Id,
                interactions = who.Interactions.Count,
                extractor = store.Extractor,
                model = store.Model,
                steps,
            };
            output.Result(document, console =>
            {
                console.MarkupLineInterpolated($"[bold]{who.ExternalId}[/] (#{who.Id}), {who.Interactions.Count} interactions; preferences by {store.Extractor ?? "?"}{(store.Model is null ? "" : " with " + store.Model)}");
                if (steps.Length == 0)
                {
                    console.MarkupLine("[yellow]no stored steps for this user (run `mender preferences extract` first, or raise --limit-users)[/]");
                    return;
                }
                var table = new Table().AddColumn(new TableColumn("step").RightAligned()).AddColumn("item").AddColumn("preferences");
                foreach (var s in steps)
                {
                    var text = s.status switch
                    {
                        "completed" => string.Join("\n", s.preferences.Select(p => (p.sentiment == "negative" ? "[red]-[/] " : "[green]+[/] ") + Markup.Escape(p.text))),
                        "failed" => "[yellow]failed:[/] " + Markup.Escape(s.error ?? ""),
                        _ => "[grey]running (redone by the next run)[/]",
                    };
                    table.AddRow($"{s.step}", Markup.Escape($"{s.item} ({s.rating?.ToString() ?? "-"}★)"), text);
                }
                console.Write(table);
            });
            return 0;
        });
        return command;
    }

    private static async Task<ExtractionSummary> RunWithProgress(CommandOutput output, ExtractionJob job, PreferenceStore store, CancellationToken cancellation)
    {
        var latest = new LatestProgress();
        return await output.Err.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("preferences", maxValue: 1);
                var run = job.RunAsync(store, latest, cancellation);
                while (!run.IsCompleted)
                {
                    Render(task, latest.Value);
                    await Task.WhenAny(run, Task.Delay(250, CancellationToken.None));
                }
                Render(task, latest.Value);
                var result = await run;
                output.EndProgress(task);
                return result;
            });
    }

    private static void Render(ProgressTask task, ExtractionProgress? progress)
    {
        if (progress is null) return;
        task.MaxValue = Math.Max(1, progress.Total);
        task.Value = progress.Done;
        var eta = progress.Remaining is { } left ? $"ETA {left:hh\\:mm\\:ss}" : "ETA --:--:--";
        var tokens = progress.InputTokens + progress.OutputTokens > 0 ? $" · {progress.TokensPerSecond:N0} tok/s" : "";
        var failed = progress.Failed > 0 ? $" · [yellow]{progress.Failed:N0} failed[/]" : "";
        task.Description = $"{progress.Done:N0}/{progress.Total:N0} prompts ({progress.Resumed:N0} resumed) · {progress.PromptsPerSecond:N1} prompts/s{tokens} · {eta}{failed}";
    }

    /// <summary>Keeps only the newest snapshot; the renderer polls it.</summary>
    private sealed class LatestProgress : IProgress<ExtractionProgress>
    {
        private ExtractionProgress? value;
        public ExtractionProgress? Value => Volatile.Read(ref this.value);
        public void Report(ExtractionProgress value) => Volatile.Write(ref this.value, value);
    }

    /// <summary>The model with one generation slot per prompt in flight, so that they are decoded as one batch.</summary>
    internal static LocalChatClient OpenModel(string path, LocalChatClientOptions options, CommandOutput output)
    {
        LocalChatClient? client = null;
        output.Err.Status().Start($"loading {Markup.Escape(path)}", _ => client = LocalChatClient.Open(path, options));
        output.Debug($"model {client!.ModelId}, chat template {client.Template.Name}");
        return client;
    }

    private static Dataset LoadDataset(string path, CommandOutput output)
    {
        Dataset? data = null;
        output.Err.Status().Start($"reading {Markup.Escape(path)}", _ => data = DatasetLoader.Load(path));
        output.Debug($"dataset {data!.Name}: {data.Users.Count} users, {data.Items.Count} items");
        return data;
    }

    private static string DefaultStore(Dataset data) => Workspace.Folder("preferences", data.Name);

    private static User FindUser(Dataset data, string id)
    {
        foreach (var user in data.Users)
            if (user.ExternalId == id) return user;
        if (int.TryParse(id, out var index) && index >= 0 && index < data.Users.Count) return data.Users[index];
        throw new ArgumentException($"user '{id}' is not in dataset '{data.Name}' (give an id as in the dataset or an index 0..{data.Users.Count - 1})");
    }
}
