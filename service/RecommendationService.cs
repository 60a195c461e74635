using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Mender.Data;
using Mender.Data.Runs;
using Mender.Numerics.Checkpoints;
using Mender.Preference.Conversation;
using Mender.Service.Pipeline;
using Mender.Service.Telemetry;
using Mender.Recommender.ColdStart;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Model;
using Microsoft.Extensions.AI;

namespace Mender.Service;

/// <summary>
/// Recommendations as the product serves them, for the HTTP server, the CLI and <see cref="MenderChatClient"/>. A
/// request goes through a pipeline of stages: resolve it (<see cref="RequestResolver"/>), choose the preference
/// (<see cref="PreferenceSource"/>: typed, a conversation combined, or reasoned by a local LLM), retrieve the model's
/// candidates (<see cref="CandidateRetriever"/>: trie-constrained beam search conditioned on the preference's polar
/// vector), mix in cold-start items with the same vector (<see cref="ColdStartMixer"/>), and write a reason per item
/// (<see cref="RecommendationExplainer"/>). Safe for concurrent requests: searches and LLM work are each serialized.
/// <para>
/// Errors: a bad request field is an <see cref="ArgumentException"/> whose ParamName is the field ("k", "beam",
/// "history", "preference", "turns", "temperature", "reviews"); an unknown user or item is a
/// <see cref="KeyNotFoundException"/> naming it; reasoning without a model is an <see cref="InvalidOperationException"/>.
/// </para>
/// </summary>
public sealed class RecommendationService : IDisposable
{
    private readonly TrainedMender trained;
    private readonly TextEmbedders embedders;
    private readonly RequestResolver resolver;
    private readonly PreferenceSource preferences;
    private readonly CandidateRetriever retriever;
    private readonly ColdStartItems coldStart;
    private readonly ColdStartMixer mixer;
    private readonly RecommendationExplainer explainer;
    private readonly Lazy<float[]> itemEmbeddings;

    private RecommendationService(TrainedMender trained, TextEmbedders embedders, RecommendationServiceOptions options, PreferenceSource preferences)
    {
        this.trained = trained;
        this.embedders = embedders;
        this.preferences = preferences;
        Options = options;
        var embedder = embedders.Get(EmbedderSpec);
        coldStart = new ColdStartItems(trained.Directory, embedder, EmbedderSpec);
        resolver = new RequestResolver(Dataset, options, trained.Info.Training.Beam, trained.Mode == MenderMode.Mender, coldStart.Current);
        retriever = new CandidateRetriever(trained, Dataset);
        itemEmbeddings = new Lazy<float[]>(() => embedders.ItemTextMatrix(EmbedderSpec).ToArray());
        mixer = new ColdStartMixer(Dataset, ItemEmbedding);
        explainer = new RecommendationExplainer(Dataset, trained.Sids);
    }

    /// <summary>
    /// Opens the checkpoint (and its dataset, SIDs and text embedder) and, when <see cref="RecommendationServiceOptions.ModelPath"/>
    /// is set, the LLM for reasoning mode and preference extraction.
    /// </summary>
    public static RecommendationService Open(RecommendationServiceOptions options) => Open(options, null);

    /// <summary>
    /// Opens the checkpoint with <paramref name="reasoningClient"/> (any chat client; the caller keeps owning it) as the
    /// model of reasoning mode and preference extraction, instead of a GGUF file; null behaves as <see cref="Open(RecommendationServiceOptions)"/>.
    /// </summary>
    public static RecommendationService Open(RecommendationServiceOptions options, IChatClient? reasoningClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Checkpoint)) throw new ArgumentException("no checkpoint directory given", nameof(options));
        if (options.MaxK < 1 || options.MaxHistory < 1) throw new ArgumentException("MaxK and MaxHistory must be at least 1", nameof(options));
        var (directory, _, dataset) = OpenCheckpoint(options.Checkpoint);
        var embedders = new TextEmbedders(dataset);
        var trained = TrainedMender.Open(directory, embedders);

        IThoughtModel? thoughts = null;
        if (reasoningClient is not null)
            thoughts = new ChatThoughtModel(ChatPipeline.ForReasoning(reasoningClient, options.LoggerFactory), ChatThoughtModel.LoadPrompt(options.PromptsDirectory),
                options.ContextLength > 0 ? options.ContextLength : 4096);
        else if (!string.IsNullOrWhiteSpace(options.ModelPath))
            thoughts = LocalThoughtModel.Open(Path.GetFullPath(options.ModelPath), options.Threads, options.ContextLength);
        var source = thoughts is null ? new PreferenceSource() : new PreferenceSource(thoughts, reasoningClient, options.PromptsDirectory, options.LoggerFactory);
        return new RecommendationService(trained, embedders, options, source);
    }

    /// <summary>The checkpoint's dataset: its users, items and their external ids.</summary>
    public Dataset Dataset => embedders.Dataset;

    /// <summary>True when a language model is loaded, so reasoning mode works.</summary>
    public bool CanReason => preferences.CanReason;

    /// <summary>The name clients address this service by (the chat API's <c>model</c>).</summary>
    public string ModelName => "mender";

    /// <summary>The language model behind reasoning mode, when there is one.</summary>
    public string? ReasoningModelName => preferences.ModelName;

    /// <summary>"mender" (reads preferences) or "tiger" (history only).</summary>
    public string Mode => trained.Mode == MenderMode.Mender ? "mender" : "tiger";

    /// <summary>The directory of the checkpoint being served.</summary>
    public string CheckpointDirectory => trained.Directory;

    /// <summary>The options the service was opened with.</summary>
    public RecommendationServiceOptions Options { get; }

    /// <summary>The largest beam a request may ask for.</summary>
    public int MaxBeam => resolver.MaxBeam;

    /// <summary>The cold-start items currently registered beside the checkpoint.</summary>
    public int ColdStartCount => coldStart.Current()?.Count ?? 0;

    /// <summary>
    /// Answers one request: the items best first, with the preference used and, in reasoning mode, the thought.
    /// A bad request throws (e.g. <see cref="KeyNotFoundException"/> for an unknown user).
    /// </summary>
    public async Task<RecommendationResponse> RecommendAsync(RecommendationRequest request, CancellationToken cancellationToken = default) =>
        await RunAsync(request, null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The same as <see cref="RecommendAsync"/>, as events: the thought's pieces as they are generated, the chosen
    /// preference, then the response. A bad request throws before the first event.
    /// </summary>
    public async IAsyncEnumerable<RecommendationEvent> StreamAsync(RecommendationRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Validate(request);
        var events = Channel.CreateUnbounded<RecommendationEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = Task.Run(() => RunAsync(request, e => events.Writer.TryWrite(e), stop.Token), stop.Token);
        _ = running.ContinueWith(t => events.Writer.TryComplete(t.Exception?.InnerException
            ?? (t.IsCanceled ? new OperationCanceledException(cancellationToken) : null)), TaskScheduler.Default);
        try
        {
            await foreach (var e in events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return e;
        }
        finally
        {
            // A caller that stops reading early also stops the work.
            stop.Cancel();
        }
    }

    /// <summary>Checks a request without running it; throws as <see cref="RecommendAsync"/> would for a bad or unknown field.</summary>
    public void Validate(RecommendationRequest request) => resolver.Resolve(request, CanReason);

    /// <summary>
    /// Preferences written from reviews: by the LLM when one is loaded (the built-in lexicon extractor when its answers
    /// are unusable), else by the lexicon extractor; the result names which one wrote them. Empty when the reviews state
    /// no preference.
    /// </summary>
    public Task<ExtractedPreferences> ExtractPreferencesAsync(IReadOnlyList<ReviewInput> reviews, CancellationToken cancellationToken = default) =>
        preferences.ExtractAsync(reviews, cancellationToken);

    private async Task<RecommendationResponse> RunAsync(RecommendationRequest request, Action<RecommendationEvent>? emit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var resolved = resolver.Resolve(request, CanReason);
        using var activity = MenderTelemetry.Request(Mode);

        var chosen = await preferences.ChooseAsync(resolved, piece => emit?.Invoke(new ThoughtDelta(piece)), cancellationToken).ConfigureAwait(false);
        var preference = chosen.Text;
        var notes = chosen.Notes.ToList();
        if (preference is not null) emit?.Invoke(new PreferenceChosen(preference));
        if (preference is not null && trained.Mode != MenderMode.Mender)
            notes.Add("this checkpoint was trained in tiger mode: the preference does not steer it (what it avoids is still ranked last)");
        if (resolved.ModelHistory.Length == 0 && preference is null) throw resolver.NothingToGoOn();

        var catalog = coldStart.Current();
        float[]? vector = null;
        using (MenderTelemetry.Stage("preference"))
            if (preference is not null && (trained.Mode == MenderMode.Mender || catalog is { Count: > 0 }))
                vector = await PreferenceEncoder.EncodeAsync(embedders.Get(EmbedderSpec), preference, cancellationToken).ConfigureAwait(false);
        using var retrieval = MenderTelemetry.Stage("retrieval");
        var avoided = AvoidedTopics.Of(preference);
        var generated = await retriever.RetrieveAsync(resolved, trained.Mode == MenderMode.Mender ? ModelVector(vector) : null, avoided, MaxBeam, cancellationToken)
            .ConfigureAwait(false);
        var ranked = mixer.Mix(generated, catalog, vector, avoided, request.K, resolved.Excluded, out var moved);
        if (moved > 0) notes.Add($"{moved} candidates name what the preference avoids: they are ranked last");
        var response = new RecommendationResponse(explainer.Explain(ranked, catalog, preference, resolved.Entries), preference, chosen.Thought,
            chosen.PromptTokens, chosen.CompletionTokens)
        {
            Notes = notes,
            Mode = Mode,
            HistoryLength = Math.Min(resolved.ModelHistory.Length, trained.Model.Config.MaxHistory),
            Milliseconds = clock.Elapsed.TotalMilliseconds,
        };
        emit?.Invoke(new Completed(response));
        return response;
    }

    /// <summary>The preference vector as the model reads it, checked against the width it was trained with.</summary>
    private float[]? ModelVector(float[]? vector)
    {
        var width = trained.Model.Config.PreferenceDim;
        if (vector is not null && vector.Length != width)
            throw new InvalidDataException($"the preference embedder gives {vector.Length} values; the model expects {width}");
        return vector;
    }

    /// <summary>
    /// Why <paramref name="itemId"/> suits <paramref name="userId"/> (and the preference, when given): the same reason a
    /// recommendation list shows beside the item. Unknown ids are a <see cref="KeyNotFoundException"/>.
    /// </summary>
    public string Explain(string itemId, string? userId = null, string? preference = null)
    {
        var item = resolver.Item(itemId);
        IReadOnlyList<Item> history = userId is null ? [] : resolver.User(userId).Interactions.Select(i => Dataset.Items[i.ItemId]).ToList();
        return ReasonWriter.Write(item, preference, history, false);
    }

    /// <summary>Catalogue items whose text is nearest to <paramref name="query"/> (cosine of the checkpoint's item-text embeddings), nearest first.</summary>
    public async Task<IReadOnlyList<(Item Item, float Similarity)>> FindItemsAsync(string query, int k = 10, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(query)) throw new ArgumentException("the query is empty");
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var embedded = await embedders.Get(EmbedderSpec).GenerateAsync([query], cancellationToken: cancellationToken).ConfigureAwait(false);
        var vector = embedded[0].Vector.Span;
        var scores = new float[Dataset.Items.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            // A query or item text with no word the embedder knows has no direction: it is near nothing.
            var cosine = System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(vector, ItemEmbedding(i).Span);
            scores[i] = float.IsNaN(cosine) ? 0f : cosine;
        }
        return Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k)
            .Select(i => (Dataset.Items[i], scores[i])).ToList();
    }

    private string EmbedderSpec => trained.Info.Embedder ?? TextEmbedders.LexicalSpec();

    private ReadOnlyMemory<float> ItemEmbedding(int item)
    {
        var d = embedders.Get(EmbedderSpec).Dimensions;
        return itemEmbeddings.Value.AsMemory(item * d, d);
    }

    /// <summary>
    /// Registers the items of a JSONL file (<c>{"item_id","title","attributes":[...],"description"?}</c> per line) as
    /// cold-start items of <paramref name="checkpoint"/>, embedded with the checkpoint's text embedder; an id given again
    /// updates that item. Running services pick the change up on their next request.
    /// </summary>
    public static ColdStartReport AddColdStartItems(string checkpoint, string file)
    {
        var parsed = ColdStartCatalog.ReadFile(Path.GetFullPath(file));
        var (directory, info, dataset) = OpenCheckpoint(checkpoint);
        var spec = info.Embedder ?? TextEmbedders.LexicalSpec();
        var catalog = ColdStartCatalog.Open(directory, new TextEmbedders(dataset).Get(spec), spec);
        var ids = dataset.Items.Select(i => i.ExternalId).ToHashSet(StringComparer.Ordinal);
        var (added, updated) = catalog.Add(parsed, ids.Contains);
        return new ColdStartReport(catalog.Folder, added, updated, catalog.Items);
    }

    /// <summary>The cold-start items registered beside <paramref name="checkpoint"/>.</summary>
    public static IReadOnlyList<ColdStartItem> ListColdStartItems(string checkpoint)
    {
        var path = Path.Combine(ColdStartCatalog.FolderOf(Checked(checkpoint).Path), ColdStartCatalog.ItemsFile);
        return File.Exists(path) ? ColdStartCatalog.ReadFile(path) : [];
    }

    /// <summary>The run directory <paramref name="checkpoint"/>, which must hold a trained model, its record, and the dataset it was trained on.</summary>
    private static (string Directory, MenderCheckpointInfo Info, Dataset Dataset) OpenCheckpoint(string checkpoint)
    {
        var run = Checked(checkpoint);
        var info = run.ReadConfig<MenderCheckpointInfo>();
        var datasetPath = info.Dataset ?? throw new InvalidDataException($"checkpoint {run.Path} does not record its dataset");
        return (run.Path, info, DatasetLoader.Load(datasetPath));
    }

    private static RunDirectory Checked(string checkpoint)
    {
        var run = RunDirectory.Open(checkpoint);
        return RunDirectory.HoldsCheckpoint(run.Path) ? run
            : throw new FileNotFoundException($"{run.Path} is not a checkpoint (it has no {Checkpoint.WeightsFile})", run.Path);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        preferences.Dispose();
        retriever.Dispose();
    }
}
