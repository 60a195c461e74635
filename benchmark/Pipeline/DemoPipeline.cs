using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Mender.Benchmark.Axes;
using Mender.Benchmark.Runs;
using Mender.Data;
using Mender.Data.Demo;
using Mender.Data.Formats;
using Mender.Llm.Adapters;
using Mender.Preference.Extraction;
using Mender.Preference.Lexicon;
using Mender.Preference.Matching;
using Mender.Preference.Prompts;
using Mender.Preference.Storage;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Model;
using Mender.Recommender.SemanticIds;

namespace Mender.Benchmark.Pipeline;

/// <summary>
/// The whole pipeline on the demo world, each stage leaving its artefact in <see cref="DemoLayout"/>: generate the
/// world → write preferences from its reviews (built-in extractor, or an LLM) → semantic IDs (RK-means over the lexical
/// embedder) → train tiger and mender modes → build the five benchmark axes → run them (popularity, tiger, mender) →
/// one steering example. Stages record their inputs in <see cref="DemoLayout.State"/>: a rerun reuses the finished
/// ones, resumes an interrupted one, and redoes a stage whose inputs changed along with everything after it.
/// </summary>
public sealed class DemoPipeline(DemoLayout layout, DemoOptions options)
{
    private readonly Stopwatch wall = new();
    private readonly List<DemoStageResult> stages = [];
    private DemoState state = null!;
    private IProgress<DemoProgress>? progress;

    /// <summary>Where the stages put their artefacts.</summary>
    public DemoLayout Layout => layout;

    /// <summary>Runs every stage in order, reusing or resuming what an earlier run left, and returns what they produced.</summary>
    /// <param name="progress">Told which stage is running and how far it is.</param>
    /// <param name="cancellation">Stops the run; an interrupted stage resumes on the next run.</param>
    public async Task<DemoResult> RunAsync(IProgress<DemoProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        this.progress = progress;
        wall.Restart();
        stages.Clear();
        Directory.CreateDirectory(layout.Root);
        state = DemoState.Load(layout.State);

        var generateKey = $"world seed={options.World.Seed} items={options.World.Items} users={options.World.Users} history={options.World.MinHistory}-{options.World.MaxHistory}";
        var dataset = await Stage(DemoStages.Generate, generateKey, [layout.Dataset], layout.Dataset, status => Task.FromResult(Generate(status, cancellation)));

        var extractor = options.Model is null ? LexiconPreferenceExtractor.ExtractorName : $"{ChatPreferenceExtractor.ExtractorName} {Path.GetFullPath(options.Model)}";
        var preferencesKey = $"{generateKey} | extractor {extractor}";
        await Stage(DemoStages.Preferences, preferencesKey, [layout.Preferences], layout.Preferences, status => Preferences(dataset, status, cancellation));

        var sidOptions = new SidBuildOptions { Seed = options.Seed, CodebookSize = options.SidCodebookSize };
        var sidsKey = $"{generateKey} | sids {SidBuildOptions.MethodName(sidOptions.Method)} seed={sidOptions.Seed} levels={sidOptions.Levels}x{sidOptions.CodebookSize}";
        var sids = await Stage(DemoStages.Sids, sidsKey, [layout.Sids], layout.Sids, status => Sids(dataset, sidOptions, status, cancellation));

        var embedders = new TextEmbedders(dataset);
        var spec = TextEmbedders.LexicalSpec(options.Seed);
        var tigerConfig = options.TrainConfig(MenderMode.Tiger);
        var menderConfig = options.TrainConfig(MenderMode.Mender);
        var tigerKey = $"{sidsKey} | tiger {Describe(tigerConfig)} cap={options.TrainMinutes}min";
        var menderKey = $"{sidsKey} | {preferencesKey} | mender {Describe(menderConfig)} cap={options.TrainMinutes}min preferences={PolarPreferenceEmbedder.EncodingName} {spec}";
        await Stage(DemoStages.TrainTiger, tigerKey, [layout.TigerRun], layout.TigerRun,
            status => Train(DemoStages.TrainTiger, dataset, sids, tigerConfig, embedders, spec, layout.TigerRun, status, cancellation));
        await Stage(DemoStages.TrainMender, menderKey, [layout.MenderRun], layout.MenderRun,
            status => Train(DemoStages.TrainMender, dataset, sids, menderConfig, embedders, spec, layout.MenderRun, status, cancellation));

        var benchKey = $"{preferencesKey} | bench seed={options.Seed} samples={options.BenchSamples} {spec}";
        var set = await Stage(DemoStages.BenchBuild, benchKey, [layout.Benchmark], layout.Benchmark,
            status => BenchBuild(dataset, embedders, spec, status, cancellation));
        var runKey = $"{benchKey} | {tigerKey} | {menderKey}";
        var report = await Stage(DemoStages.BenchRun, runKey, [layout.Report], layout.Report, status => BenchRun(dataset, set, status, cancellation));

        var example = await Stage(DemoStages.Example, runKey, [], layout.Summary, _ => Example(dataset, set, embedders, cancellation));

        var result = new DemoResult(layout, options, stages.ToList(), report, example, wall.Elapsed.TotalSeconds);
        File.WriteAllText(layout.Summary, JsonSerializer.Serialize(result.ToDocument(), DemoResult.Json) + "\n");
        return result;
    }

    /// <summary>Runs one stage through the state file and records its outcome.</summary>
    private async Task<T> Stage<T>(string name, string key, string[] artefacts, string artefact,
        Func<DemoStageStatus, Task<(T Value, string Summary, Dictionary<string, object?> Facts)>> run)
    {
        var clock = Stopwatch.StartNew();
        var status = state.Begin(name, key, artefacts);
        Report(name, 0, status == DemoStageStatus.Reused ? "reusing" : status == DemoStageStatus.Resumed ? "resuming" : "starting");
        var (value, summary, facts) = await run(status).ConfigureAwait(false);
        state.Finish(name);
        stages.Add(new DemoStageResult(name, status, clock.Elapsed.TotalSeconds, artefact, summary, facts));
        Report(name, 1, summary);
        return value;
    }

    private void Report(string stage, double fraction, string detail) => progress?.Report(new DemoProgress(stage, Math.Clamp(fraction, 0, 1), detail));

    private (Dataset, string, Dictionary<string, object?>) Generate(DemoStageStatus status, CancellationToken cancellation)
    {
        Dataset dataset;
        if (status == DemoStageStatus.Reused && DatasetCache.IsCache(layout.Dataset))
        {
            dataset = DemoWorld.Load(layout.Dataset).Dataset;
        }
        else
        {
            var world = DemoWorld.Generate(options.World, cancellation);
            world.Save(layout.Dataset, options.Command);
            dataset = world.Dataset;
        }
        var stats = dataset.Stats();
        return (dataset, $"{stats.Users:N0} users, {stats.Items:N0} items, {stats.Interactions:N0} interactions, {stats.Reviews:N0} reviews",
            new() { ["users"] = stats.Users, ["items"] = stats.Items, ["interactions"] = stats.Interactions, ["reviews"] = stats.Reviews });
    }

    private async Task<(bool, string, Dictionary<string, object?>)> Preferences(Dataset dataset, DemoStageStatus status, CancellationToken cancellation)
    {
        if (status == DemoStageStatus.Reused)
        {
            using var existing = PreferenceStore.OpenExisting(layout.Preferences);
            var (_, completed, failed) = existing.Counts();
            return (true, $"{completed:N0} steps with preferences, {failed:N0} without (by {existing.Extractor})",
                new() { ["completed"] = completed, ["failed"] = failed, ["extractor"] = existing.Extractor, ["model"] = existing.Model });
        }
        using var client = options.Model is null ? null
            : LocalChatClient.Open(options.Model, new LocalChatClientOptions { ParallelRequests = options.Parallelism, ContextLength = 2048 });
        var library = PromptLibrary.Load();
        IPreferenceExtractor extractor = client is null ? new LexiconPreferenceExtractor() : new ChatPreferenceExtractor(client, library, client.ModelId);
        var extraction = new ExtractionOptions { Parallelism = client is null ? Environment.ProcessorCount : options.Parallelism };
        using var store = PreferenceStore.Open(layout.Preferences);
        var relay = new ProgressRelay<ExtractionProgress>(p =>
            Report(DemoStages.Preferences, p.Total == 0 ? 1 : (double)p.Done / p.Total, $"{p.Done:N0}/{p.Total:N0} prompts · {p.PromptsPerSecond:N0} prompts/s"));
        var summary = await new ExtractionJob(dataset, extractor, library, extraction).RunAsync(store, relay, cancellation).ConfigureAwait(false);
        var seconds = summary.Elapsed.TotalSeconds;
        return (true, $"{summary.Completed:N0} of {summary.Prompts:N0} steps with preferences by {summary.Extractor}" +
                (summary.Failed > 0 ? $" ({summary.Failed:N0} reviews name nothing it knows)" : ""),
            new()
            {
                ["prompts"] = summary.Prompts, ["completed"] = summary.Completed, ["failed"] = summary.Failed, ["extractor"] = summary.Extractor,
                ["model"] = summary.Model, ["resumed"] = summary.Resumed,
                ["prompts_per_second"] = seconds > 0 ? Math.Round(summary.RanNow / seconds, 1) : 0,
                ["tokens_per_second"] = seconds > 0 ? Math.Round((summary.InputTokens + summary.OutputTokens) / seconds, 1) : 0,
            });
    }

    private async Task<(SidTable, string, Dictionary<string, object?>)> Sids(Dataset dataset, SidBuildOptions sidOptions, DemoStageStatus status,
        CancellationToken cancellation)
    {
        var relay = new ProgressRelay<SidBuildProgress>(p => Report(DemoStages.Sids, p.Fraction, $"{p.Stage} {p.Detail}".Trim()));
        var table = status == DemoStageStatus.Reused
            ? SidBuilder.LoadFor(layout.Sids, dataset)
            : await SidBuilder.LoadOrBuildAsync(dataset, layout.Sids, sidOptions, relay, cancellation).ConfigureAwait(false);
        var quality = SidBuilder.Load(layout.Sids).Quality;
        return (table, $"{table.Count:N0} items, codebooks {string.Join("×", table.CodebookSizes.ToArray())}, {quality.PrefixCollisionRate:P1} prefix collisions",
            new() { ["method"] = quality.Method, ["codebook_sizes"] = table.CodebookSizes.ToArray(), ["prefix_collision_rate"] = quality.PrefixCollisionRate });
    }

    private async Task<(bool, string, Dictionary<string, object?>)> Train(string stage, Dataset dataset, SidTable sids, MenderConfig config,
        TextEmbedders embedders, string spec, string directory, DemoStageStatus status, CancellationToken cancellation)
    {
        if (status != DemoStageStatus.Reused)
        {
            var recipe = new MenderTrainingRecipe(dataset, layout.Dataset, embedders, spec);
            var (trainer, info) = await recipe.PrepareAsync(config, sids, layout.Sids, layout.Preferences, line => Report(stage, 0, line), cancellation)
                .ConfigureAwait(false);
            var relay = new ProgressRelay<TrainProgress>(p => Report(stage, p.Done,
                $"step {p.Step:N0}/{p.MaxSteps:N0} · loss {p.Loss:F3} · {p.SamplesPerSecond:N0} samples/s" + (p.BestNdcgAt10 > 0 ? $" · best N@10 {p.BestNdcgAt10:F4}" : "")));
            var limit = TimeSpan.FromMinutes(options.TrainMinutes);
            var result = await Task.Run(() => trainer.Train(directory, info, limit, relay, cancellation), CancellationToken.None).ConfigureAwait(false);
            if (result.Reason == StopReason.Cancelled) throw new OperationCanceledException("training was interrupted; the next run resumes it", cancellation);
        }
        var trained = TrainerState.Load(directory) ?? throw new InvalidDataException($"{directory} holds no finished training run");
        var stopped = trained.Finished ? "finished" : "stopped at the time cap";
        return (true, $"{trained.Step:N0} steps ({stopped}), best validation NDCG@10 {trained.BestNdcgAt10:F4} at step {trained.BestStep:N0}",
            new()
            {
                ["steps"] = trained.Step, ["finished"] = trained.Finished, ["best_step"] = trained.BestStep,
                ["best_validation_ndcg_at_10"] = trained.BestNdcgAt10, ["train_seconds"] = Math.Round(trained.ElapsedSeconds, 1),
            });
    }

    private async Task<(BenchmarkSet, string, Dictionary<string, object?>)> BenchBuild(Dataset dataset, TextEmbedders embedders, string spec,
        DemoStageStatus status, CancellationToken cancellation)
    {
        BenchmarkSet set;
        if (status == DemoStageStatus.Reused && BenchmarkFiles.Exists(layout.Benchmark))
        {
            set = BenchmarkFiles.Read(layout.Benchmark, dataset);
        }
        else
        {
            PreferenceTable table;
            using (var store = PreferenceStore.OpenExisting(layout.Preferences)) table = store.LoadTable();
            var build = new BenchmarkBuildOptions { Seed = options.Seed, MaxSamples = options.BenchSamples };
            set = await BenchmarkBuilder.BuildAsync(dataset, table, embedders.Get(spec), build, cancellation).ConfigureAwait(false);
            set = set with
            {
                Manifest = set.Manifest with
                {
                    DatasetPath = layout.Dataset,
                    Preferences = layout.Preferences,
                    Embedder = $"{spec} ({set.Manifest.Embedder})",
                    Command = options.Command,
                },
            };
            BenchmarkFiles.Write(set, dataset, layout.Benchmark);
        }
        var axes = set.Manifest.Axes;
        return (set, string.Join(", ", BenchmarkAxes.All.Select(a => $"{a.Name()} {axes.GetValueOrDefault(a.Name()):N0}")) + " samples",
            new() { ["axes"] = axes, ["test_targets"] = set.Manifest.TestTargets, ["matched_targets"] = set.Manifest.MatchedTargets });
    }

    private async Task<(BenchmarkReport, string, Dictionary<string, object?>)> BenchRun(Dataset dataset, BenchmarkSet set, DemoStageStatus status,
        CancellationToken cancellation)
    {
        var reportPath = Path.Combine(layout.Report, ReportFiles.JsonFile);
        BenchmarkReport report;
        if (status == DemoStageStatus.Reused && File.Exists(reportPath))
        {
            report = ReportFiles.Read(reportPath);
        }
        else
        {
            var opener = new CheckpointRecommenders(dataset);
            IReadOnlyList<IPreferenceRecommender> recommenders = [HistoryOnlyRecommender.Popularity(dataset), opener.Open(layout.TigerRun), opener.Open(layout.MenderRun)];
            var relay = new ProgressRelay<BenchmarkProgress>(p =>
                Report(DemoStages.BenchRun, p.Total == 0 ? 1 : (double)p.Done / p.Total, $"{p.Recommender} · {p.Axis} · {p.Done:N0}/{p.Total:N0} queries"));
            report = await BenchmarkRunner.RunAsync(set, layout.Benchmark, recommenders, relay, cancellation).ConfigureAwait(false);
            ReportFiles.Write(report, layout.Report);
        }
        var headline = string.Join("; ", report.Recommenders.Select(r =>
            $"{r.Name} {string.Join("/", r.Axes.Select(a => a.Headline.ToString("F3", CultureInfo.InvariantCulture)))}"));
        return (report, headline, new() { ["reports"] = new[] { ReportFiles.MarkdownFile, ReportFiles.JsonFile, ReportFiles.HtmlFile }.Select(f => Path.Combine(layout.Report, f)).ToArray() });
    }

    private async Task<(SteeringExample?, string, Dictionary<string, object?>)> Example(Dataset dataset, BenchmarkSet set, TextEmbedders embedders,
        CancellationToken cancellation)
    {
        var example = await SteeringExample.FindAsync(dataset, set, layout.TigerRun, layout.MenderRun, embedders, options.ExampleItems, cancellation)
            .ConfigureAwait(false);
        return (example, example is null ? "no sentiment sample to show"
                : $"user {example.User}: {example.Different} of {example.Positive.Items.Count} items differ between the two preferences",
            new());
    }

    private static string Describe(MenderConfig config) =>
        $"d{config.Model.ModelDim} L{config.Model.EncoderLayers}+{config.Model.DecoderLayers} steps={config.Training.MaxSteps} batch={config.Training.BatchSize} lr={config.Training.LearningRate.ToString(CultureInfo.InvariantCulture)} seed={config.Training.Seed}";
}
