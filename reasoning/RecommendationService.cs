using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Mender.Llm.Adapters;
using Mender.Numerics;
using Mender.Numerics.Checkpoints;
using Mender.Numerics.Tensors;
using Mender.Preference;
using Mender.Preference.Conversation;
using Mender.Preference.Extraction;
using Mender.Preference.Lexicon;
using Mender.Preference.Matching;
using Mender.Preference.Prompts;
using Mender.Reasoning.Telemetry;
using Mender.Recommender.ColdStart;
using Mender.Recommender.Data;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Inference;
using Mender.Recommender.Model;
using Mender.Recommender.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;

namespace Mender.Reasoning;

/// <summary>
/// Recommendations as the product serves them, for the HTTP server, the CLI and <see cref="MenderChatClient"/>: a
/// checkpoint opened once, requests validated, optional staged reasoning by a local LLM that writes the preference, the
/// Mender model's trie-constrained beam search conditioned on it, cold-start items mixed in (LIGER-style), and a
/// one-line reason per item. Safe for concurrent requests: searches and LLM work are each serialized.
/// <para>
/// Errors: a bad request field is an <see cref="ArgumentException"/> whose ParamName is the field ("k", "beam",
/// "history", "preference", "temperature", "reviews"); an unknown user or item is a <see cref="KeyNotFoundException"/>
/// naming it; reasoning without a model is an <see cref="InvalidOperationException"/>.
/// </para>
/// </summary>
public sealed class RecommendationService : IDisposable
{
    private const int MaxPreferenceChars = 1000;
    private const int MaxReviews = 50;
    private const int MaxTurns = 50;

    private readonly TrainedMender trained;
    private readonly TextEmbedders embedders;
    private readonly RecommendationServiceOptions options;
    private readonly Dictionary<string, int> itemIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> userIndex = new(StringComparer.Ordinal);
    private readonly IThoughtModel? thoughts;
    private readonly StagedReasoner? reasoner;
    private readonly PromptLibrary? prompts;
    private readonly PromptTemplate? conversation;
    private readonly Lazy<IChatClient>? chat;
    private readonly bool ownsChat;
    private readonly SemaphoreSlim searchGate = new(1, 1);
    private readonly Dictionary<int, MenderRecommender> recommenders = [];
    private readonly SemaphoreSlim llmGate = new(1, 1);
    private readonly Lock coldGate = new();
    private readonly Lazy<float[]> itemEmbeddings;
    private readonly PolarPreferenceEmbedder? polar;
    private ColdStartCatalog? cold;
    private DateTime coldStamp;

    private RecommendationService(TrainedMender trained, TextEmbedders embedders, RecommendationServiceOptions options,
        IThoughtModel? thoughts, ReasoningPrompt? prompt, PromptLibrary? prompts, PromptTemplate? conversation, IChatClient? client)
    {
        this.conversation = conversation;
        this.trained = trained;
        this.embedders = embedders;
        this.options = options;
        this.thoughts = thoughts;
        this.prompts = prompts;
        if (thoughts is not null) reasoner = new StagedReasoner(thoughts, prompt!);
        // Extraction answers are cached within the service's life: the same reviews asked about again cost nothing.
        var cache = new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions { SizeLimit = ExtractionCacheBytes }));
        if (client is not null) chat = new Lazy<IChatClient>(() => ChatPipeline.ForExtraction(client, cache, options.LoggerFactory));
        else if (thoughts is LocalThoughtModel local)
        {
            chat = new Lazy<IChatClient>(() => ChatPipeline.ForExtraction(new LocalChatClient(local.Model, new() { ModelId = local.Name }), cache, options.LoggerFactory));
            ownsChat = true;
        }
        foreach (var item in Dataset.Items) itemIndex.TryAdd(item.ExternalId, item.Id);
        foreach (var user in Dataset.Users) userIndex.TryAdd(user.ExternalId, user.Id);
        itemEmbeddings = new Lazy<float[]>(() => embedders.ItemTextMatrix(EmbedderSpec).ToArray());
        if (trained.Mode == MenderMode.Mender) polar = new PolarPreferenceEmbedder(trained.Embedder!);
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
        var directory = CheckpointDirectoryOf(options.Checkpoint);
        var info = Checkpoint.LoadConfig<MenderCheckpointInfo>(directory);
        var datasetPath = info.Dataset ?? throw new InvalidDataException($"checkpoint {directory} does not record its dataset");
        var embedders = new TextEmbedders(DatasetLoader.Load(datasetPath));
        var trained = TrainedMender.Open(directory, embedders);

        IThoughtModel? thoughts = null;
        ReasoningPrompt? prompt = null;
        PromptLibrary? prompts = null;
        PromptTemplate? conversation = null;
        if (reasoningClient is not null || !string.IsNullOrWhiteSpace(options.ModelPath))
        {
            prompt = ReasoningPrompt.Load(options.PromptsDirectory);
            prompts = PromptLibrary.Load(options.PromptsDirectory);
            conversation = ChatConversationCombiner.LoadPrompt(options.PromptsDirectory);
            thoughts = reasoningClient is not null
                ? new ChatThoughtModel(ChatPipeline.ForReasoning(reasoningClient, options.LoggerFactory), ChatThoughtModel.LoadPrompt(options.PromptsDirectory),
                    options.ContextLength > 0 ? options.ContextLength : 4096)
                : LocalThoughtModel.Open(Path.GetFullPath(options.ModelPath!), options.Threads, options.ContextLength);
        }
        return new RecommendationService(trained, embedders, options, thoughts, prompt, prompts, conversation, reasoningClient);
    }

    public Dataset Dataset => embedders.Dataset;

    /// <summary>True when a language model is loaded, so reasoning mode works.</summary>
    public bool CanReason => reasoner is not null;

    /// <summary>The name clients address this service by (the chat API's <c>model</c>).</summary>
    public string ModelName => "mender";

    /// <summary>The language model behind reasoning mode, when there is one.</summary>
    public string? ReasoningModelName => thoughts?.Name;

    /// <summary>"mender" (reads preferences) or "tiger" (history only).</summary>
    public string Mode => trained.Mode == MenderMode.Mender ? "mender" : "tiger";

    public string CheckpointDirectory => trained.Directory;

    public RecommendationServiceOptions Options => options;

    /// <summary>The largest beam a request may ask for.</summary>
    public int MaxBeam => Math.Max(4 * options.MaxK, 256);

    private const long ExtractionCacheBytes = 16L << 20;

    /// <summary>The cold-start items currently registered beside the checkpoint.</summary>
    public int ColdStartCount => ColdCatalog()?.Count ?? 0;

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
    public void Validate(RecommendationRequest request) => Resolve(request);

    /// <summary>
    /// Preferences written from reviews: by the LLM when one is loaded (the built-in lexicon extractor when its answers
    /// are unusable), else by the lexicon extractor; the result names which one wrote them. Empty when the reviews state
    /// no preference.
    /// </summary>
    public async Task<ExtractedPreferences> ExtractPreferencesAsync(IReadOnlyList<ReviewInput> reviews, CancellationToken cancellationToken = default)
    {
        var window = Window(reviews);
        using var stage = MenderTelemetry.Stage("extraction");
        if (chat is not null)
        {
            var extractor = new ChatPreferenceExtractor(chat.Value, prompts!);
            var prompt = new ExtractionPrompt(prompts!.Extraction).Render(window);
            await llmGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                for (var attempt = 1; attempt <= 2; attempt++)
                {
                    var result = await extractor.ExtractAsync(window, prompt, attempt, cancellationToken).ConfigureAwait(false);
                    stage.Tokens((int)result.InputTokens, (int)result.OutputTokens);
                    if (result.Succeeded) return new ExtractedPreferences(result.Preferences, $"{extractor.Name} ({ReasoningModelName})");
                }
            }
            finally
            {
                llmGate.Release();
            }
        }
        var lexicon = new LexiconPreferenceExtractor();
        return new ExtractedPreferences(lexicon.Extract(window).Preferences, lexicon.Name);
    }

    private static ReviewWindow Window(IReadOnlyList<ReviewInput> reviews)
    {
        if (reviews is null || reviews.Count == 0) throw new ArgumentException("give at least one review", nameof(reviews));
        if (reviews.Count > MaxReviews) throw new ArgumentException($"at most {MaxReviews} reviews at a time, got {reviews.Count}", nameof(reviews));
        var entries = new ReviewedItem[reviews.Count];
        for (var i = 0; i < reviews.Count; i++)
        {
            var review = reviews[i] ?? throw new ArgumentException($"review {i + 1} is null", nameof(reviews));
            if (string.IsNullOrWhiteSpace(review.Text) && string.IsNullOrWhiteSpace(review.Summary))
                throw new ArgumentException($"review {i + 1} has no text", nameof(reviews));
            if (review.Rating is { } stars && (!float.IsFinite(stars) || stars < 1 || stars > 5))
                throw new ArgumentException($"review {i + 1}: the rating must be between 1 and 5, got {stars}", nameof(reviews));
            var title = string.IsNullOrWhiteSpace(review.Title) ? "(untitled product)" : review.Title.Trim();
            entries[i] = new ReviewedItem(new Item(i, $"review-{i + 1}", title), new Interaction(i, i, review.Rating, review.Summary, review.Text));
        }
        return new ReviewWindow(entries);
    }

    /// <summary>The request's history resolved against the catalogue and the cold-start items, oldest first.</summary>
    private sealed record Resolved(List<HistoryEntry> Entries, List<int> ModelHistory, HashSet<string> Seen, int Beam, string? Typed,
        IReadOnlyList<string>? Turns);

    private Resolved Resolve(RecommendationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Reasoning && reasoner is null)
            throw new InvalidOperationException("reasoning mode needs a language model: open the service with a GGUF model (--model MODEL.gguf)");
        if (request.K < 1 || request.K > options.MaxK)
            throw new ArgumentException($"k must be between 1 and {options.MaxK}, got {request.K}", "k");
        var beam = request.Beam ?? Math.Min(MaxBeam, Math.Max(trained.Info.Training.Beam, 2 * request.K));
        if (beam < request.K || beam > MaxBeam)
            throw new ArgumentException($"beam must be between k ({request.K}) and {MaxBeam}, got {beam}", "beam");
        if (!float.IsFinite(request.Temperature) || request.Temperature < 0)
            throw new ArgumentException($"temperature must be 0 or more, got {request.Temperature}", "temperature");
        var typed = string.IsNullOrWhiteSpace(request.Preference) ? null : request.Preference.Trim();
        if (typed is not null && typed.Length > MaxPreferenceChars)
            throw new ArgumentException($"the preference is {typed.Length} characters long; at most {MaxPreferenceChars} are allowed", "preference");
        var turns = Turns(request);
        // The rules' combination is the preference until an LLM does better, and what is used when it cannot.
        if (turns is not null) typed = ConversationPreference.Combine(turns) is { IsEmpty: false } combined ? combined.Text : null;
        if (request.History is { Count: var given } && given > options.MaxHistory)
            throw new ArgumentException($"the history has {given} items; at most {options.MaxHistory} are allowed", "history");

        var entries = new List<HistoryEntry>();
        var modelHistory = new List<int>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (request.UserId is { } userId)
        {
            var user = FindUser(userId);
            foreach (var interaction in user.Interactions.Skip(Math.Max(0, user.Interactions.Count - options.MaxHistory)))
            {
                var item = Dataset.Items[interaction.ItemId];
                entries.Add(new HistoryEntry(item, interaction));
                modelHistory.Add(item.Id);
                seen.Add(item.ExternalId);
            }
        }
        if (request.History is { } history)
        {
            var catalog = history.Count > 0 ? ColdCatalog() : null;
            for (var i = 0; i < history.Count; i++)
            {
                var id = history[i]?.Trim();
                if (string.IsNullOrEmpty(id)) throw new ArgumentException($"history item {i + 1} is empty", "history");
                if (itemIndex.TryGetValue(id, out var dense))
                {
                    entries.Add(new HistoryEntry(Dataset.Items[dense], null));
                    modelHistory.Add(dense);
                }
                else if (catalog?.Items.FirstOrDefault(c => c.ItemId == id) is { } coldItem)
                    entries.Add(new HistoryEntry(coldItem.ToItem(), null));
                else
                    throw new KeyNotFoundException($"item '{Excerpt.Of(id)}' is neither in the catalogue of '{Dataset.Name}' nor a cold-start item");
                seen.Add(id);
            }
        }
        if (modelHistory.Count == 0 && (trained.Mode != MenderMode.Mender || typed is null && !request.Reasoning))
            throw NothingToGoOn();
        return new Resolved(entries, modelHistory, seen, beam, typed, turns);
    }

    private static IReadOnlyList<string>? Turns(RecommendationRequest request)
    {
        if (request.Turns is not { } turns) return null;
        if (request.Preference is not null) throw new ArgumentException("give the preference as one text or as the turns of a conversation, not both", "turns");
        if (turns.Count > MaxTurns) throw new ArgumentException($"the conversation has {turns.Count} turns; at most {MaxTurns} are read", "turns");
        var kept = new List<string>(turns.Count);
        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i]?.Trim() ?? throw new ArgumentException($"turn {i + 1} is null", "turns");
            if (turn.Length > MaxPreferenceChars)
                throw new ArgumentException($"turn {i + 1} is {turn.Length} characters long; at most {MaxPreferenceChars} are allowed", "turns");
            if (turn.Length > 0) kept.Add(turn);
        }
        return kept;
    }

    private ArgumentException NothingToGoOn() => new(trained.Mode == MenderMode.Mender
        ? "give a user_id or a history of catalogue items, or a preference"
        : "give a user_id or a history of catalogue items (this tiger-mode checkpoint reads no preference)", "history");

    private User FindUser(string id)
    {
        if (userIndex.TryGetValue(id.Trim(), out var dense)) return Dataset.Users[dense];
        throw new KeyNotFoundException($"user '{Excerpt.Of(id)}' is not in dataset '{Dataset.Name}'");
    }

    private async Task<RecommendationResponse> RunAsync(RecommendationRequest request, Action<RecommendationEvent>? emit, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var resolved = Resolve(request);
        using var activity = MenderTelemetry.Request(Mode);
        var notes = new List<string>();
        var preference = resolved.Typed;
        string? thought = null;
        int promptTokens = 0, completionTokens = 0;
        if (resolved.Turns is { Count: > 0 } turns && conversation is not null)
            preference = await CombineAsync(turns, preference, notes, cancellationToken).ConfigureAwait(false);
        if (request.Reasoning)
        {
            await llmGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            ReasonedPreference reasoned;
            try
            {
                using var stage = MenderTelemetry.Stage("reasoning");
                reasoned = await reasoner!.ThinkAsync(resolved.Entries, resolved.Typed, piece => emit?.Invoke(new ThoughtDelta(piece)), cancellationToken)
                    .ConfigureAwait(false);
                stage.Tokens(reasoned.PromptTokens, reasoned.CompletionTokens);
            }
            finally
            {
                llmGate.Release();
            }
            thought = reasoned.Thought;
            preference = reasoned.Preference;
            (promptTokens, completionTokens) = (reasoned.PromptTokens, reasoned.CompletionTokens);
            if (reasoned.FellBack)
                notes.Add(preference is null
                    ? "the reasoning produced no preference, and none was typed: recommending from the history alone"
                    : "the reasoning produced no preference: the typed preference is used");
        }
        if (preference is not null) emit?.Invoke(new PreferenceChosen(preference));
        if (preference is not null && trained.Mode != MenderMode.Mender)
            notes.Add("this checkpoint was trained in tiger mode: the preference does not steer it (what it avoids is still ranked last)");
        if (resolved.ModelHistory.Count == 0 && preference is null) throw NothingToGoOn();

        float[]? preferenceVector;
        using (MenderTelemetry.Stage("preference"))
            preferenceVector = await PreferenceVectorAsync(preference, cancellationToken).ConfigureAwait(false);
        using var retrieval = MenderTelemetry.Stage("retrieval");
        var excluded = request.ExcludeHistory ? resolved.Seen : [];
        var avoided = AvoidedTopics.Of(preference);
        var generated = await GenerateAsync(resolved, preferenceVector, request, excluded, cancellationToken).ConfigureAwait(false);
        // When what the preference avoids fills the beam (a shopper of body mists who says "not another body mist"),
        // a default-width search is widened once, so that k other items can be found.
        if (!avoided.IsEmpty && request.Beam is null && resolved.Beam < MaxBeam
            && generated.Count(g => !avoided.Names(Naming(Dataset.Items[g.Item]))) < request.K)
            generated = await GenerateAsync(resolved with { Beam = MaxBeam }, preferenceVector, request, excluded, cancellationToken).ConfigureAwait(false);
        int moved;
        var historyItems = resolved.Entries.Select(e => e.Item).ToList();
        var items = new List<RecommendedItem>(request.K);
        var catalog = ColdCatalog();
        if (catalog is { Count: > 0 })
        {
            // The mixer reads the preference as the model does, so "avoids X" pushes cold-start X items down, not up.
            var vector = preference is null ? []
                : preferenceVector ?? await PolarAsync(new PolarPreferenceEmbedder(catalog.Embedder), preference, cancellationToken).ConfigureAwait(false);
            // Ranked in full when something is avoided, so that what names it can go last without leaving the list short.
            var depth = avoided.IsEmpty ? request.K : request.K + generated.Count;
            var ranked = avoided.RankLast(HybridRanker.Rank(generated, ItemEmbedding, vector, catalog, depth, i => excluded.Contains(catalog.Items[i].ItemId)),
                c => c.IsColdStart ? Naming(catalog.Items[c.ColdStartIndex].ToItem()) : Naming(Dataset.Items[c.Item]), out moved);
            foreach (var c in ranked.Take(request.K))
            {
                if (c.IsColdStart)
                {
                    var item = catalog.Items[c.ColdStartIndex];
                    items.Add(new RecommendedItem(item.ItemId, item.Title, [], c.Score, ReasonWriter.Write(item.ToItem(), preference, historyItems, true), true));
                }
                else
                    items.Add(Catalogued(c.Item, c.Score, preference, historyItems));
            }
        }
        else
        {
            foreach (var (item, score) in avoided.RankLast(generated, r => Naming(Dataset.Items[r.Item]), out moved).Take(request.K))
                items.Add(Catalogued(item, score, preference, historyItems));
        }
        if (moved > 0) notes.Add($"{moved} candidates name what the preference avoids: they are ranked last");
        var modelHistory = Math.Min(resolved.ModelHistory.Count, trained.Model.Config.MaxHistory);
        return Emit(emit, new RecommendationResponse(items, preference, thought, promptTokens, completionTokens)
        {
            Notes = notes,
            Mode = Mode,
            HistoryLength = modelHistory,
            Milliseconds = clock.Elapsed.TotalMilliseconds,
        });
    }

    private static RecommendationResponse Emit(Action<RecommendationEvent>? emit, RecommendationResponse response)
    {
        emit?.Invoke(new Completed(response));
        return response;
    }

    /// <summary>The words an item is named by, for checking against what a preference avoids (not its description, which may say "no X").</summary>
    private static string Naming(Item item) => string.Join(" | ", [item.Title, .. item.Categories, .. item.Attributes]);

    private RecommendedItem Catalogued(int item, float score, string? preference, IReadOnlyList<Item> history)
    {
        var entry = Dataset.Items[item];
        return new RecommendedItem(entry.ExternalId, entry.Title, trained.Sids[item].ToArray(), score,
            ReasonWriter.Write(entry, preference, history, false), false);
    }

    /// <summary>
    /// The conversation's preference as the LLM combines it; the rules' combination (<paramref name="byRules"/>) when the
    /// LLM's answer is unusable, with a note saying so.
    /// </summary>
    private async Task<string?> CombineAsync(IReadOnlyList<string> turns, string? byRules, List<string> notes, CancellationToken cancellationToken)
    {
        var combiner = new ChatConversationCombiner(chat!.Value, conversation!);
        await llmGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        CombinationAttempt attempt;
        try
        {
            using var stage = MenderTelemetry.Stage("conversation");
            attempt = await combiner.CombineAsync(turns, cancellationToken).ConfigureAwait(false);
            stage.Tokens((int)attempt.InputTokens, (int)attempt.OutputTokens);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            attempt = new CombinationAttempt(null, $"model error: {e.Message}", 0, 0);
        }
        finally
        {
            llmGate.Release();
        }
        if (attempt.Preference is { IsEmpty: false } combined)
        {
            notes.Add("the conversation's turns were combined by the language model");
            return combined.Text;
        }
        notes.Add($"the language model could not combine the turns ({attempt.Error}): they were combined by rules");
        return byRules;
    }

    /// <summary>The model's candidates outside the excluded items, best first.</summary>
    private async Task<List<(int Item, float Score)>> GenerateAsync(Resolved resolved, float[]? preference, RecommendationRequest request,
        HashSet<string> excluded, CancellationToken cancellationToken)
    {
        var found = await SearchAsync(resolved, preference, request, cancellationToken).ConfigureAwait(false);
        return found.Where(r => !excluded.Contains(Dataset.Items[r.Item].ExternalId)).Select(r => (r.Item, r.Score)).ToList();
    }

    private async Task<Recommendation[]> SearchAsync(Resolved resolved, float[]? preference, RecommendationRequest request, CancellationToken cancellationToken)
    {
        await searchGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var vector = preference is null ? null : Tensor.FromArray(preference, 1, preference.Length);
            var rng = request.Temperature > 0 ? new Rng(request.Seed) : null;
            // One recommender per beam width, kept: its beam search reuses its buffers from request to request.
            if (!recommenders.TryGetValue(resolved.Beam, out var recommender))
                recommenders[resolved.Beam] = recommender = trained.Recommender(resolved.Beam);
            return recommender.Search([resolved.ModelHistory.ToArray()], vector, resolved.Beam, request.Temperature, rng)[0];
        }
        finally
        {
            searchGate.Release();
        }
    }

    /// <summary>
    /// The preference's vector for a mender-mode model, null otherwise or without a preference. The text goes through the
    /// polar encoding the model was trained for: "avoids X" points away from what "likes X" points to.
    /// </summary>
    private async Task<float[]?> PreferenceVectorAsync(string? preference, CancellationToken cancellationToken)
    {
        if (polar is null || string.IsNullOrWhiteSpace(preference)) return null;
        var vector = await PolarAsync(polar, preference, cancellationToken).ConfigureAwait(false);
        var width = trained.Model.Config.PreferenceDim;
        if (vector.Length != width)
            throw new InvalidDataException($"the preference embedder gives {vector.Length} values; the model expects {width}");
        return vector;
    }

    /// <summary>
    /// Why <paramref name="itemId"/> suits <paramref name="userId"/> (and the preference, when given): the same reason a
    /// recommendation list shows beside the item. Unknown ids are a <see cref="KeyNotFoundException"/>.
    /// </summary>
    public string Explain(string itemId, string? userId = null, string? preference = null)
    {
        if (!itemIndex.TryGetValue(itemId, out var index))
            throw new KeyNotFoundException($"item '{itemId}' is not in the catalogue of dataset '{Dataset.Name}'");
        IReadOnlyList<Item> history = [];
        if (userId is not null)
        {
            if (!userIndex.TryGetValue(userId, out var user))
                throw new KeyNotFoundException($"user '{userId}' is not in dataset '{Dataset.Name}'");
            history = Dataset.Users[user].Interactions.Select(i => Dataset.Items[i.ItemId]).ToList();
        }
        return ReasonWriter.Write(Dataset.Items[index], preference, history, false);
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

    /// <summary>
    /// A typed preference is read as a conversation's turns are ("for dry skin, no fragrance" has a positive and a
    /// negative part), and its parts are summed with their signs.
    /// </summary>
    private static async Task<float[]> PolarAsync(PolarPreferenceEmbedder embedder, string preference, CancellationToken cancellationToken)
    {
        var combined = ConversationPreference.Of(preference);
        IReadOnlyList<UserPreference> parts = combined.IsEmpty ? [PolarPreferenceEmbedder.Classified(preference)] : combined.Parts;
        return (await embedder.EmbedAsync([parts], cancellationToken).ConfigureAwait(false))[0];
    }

    private string EmbedderSpec => trained.Info.Embedder ?? TextEmbedders.LexicalSpec();

    private ReadOnlyMemory<float> ItemEmbedding(int item)
    {
        var d = embedders.Get(EmbedderSpec).Dimensions;
        return itemEmbeddings.Value.AsMemory(item * d, d);
    }

    /// <summary>The cold-start items beside the checkpoint, reread when <c>mender items add</c> has changed them.</summary>
    private ColdStartCatalog? ColdCatalog()
    {
        var path = Path.Combine(ColdStartCatalog.FolderOf(trained.Directory), ColdStartCatalog.ItemsFile);
        lock (coldGate)
        {
            if (!File.Exists(path))
            {
                cold = null;
                return null;
            }
            var stamp = File.GetLastWriteTimeUtc(path);
            if (cold is null || stamp != coldStamp)
            {
                cold = ColdStartCatalog.Open(trained.Directory, embedders.Get(EmbedderSpec), EmbedderSpec);
                coldStamp = stamp;
            }
            return cold;
        }
    }

    /// <summary>
    /// Registers the items of a JSONL file (<c>{"item_id","title","attributes":[...],"description"?}</c> per line) as
    /// cold-start items of <paramref name="checkpoint"/>, embedded with the checkpoint's text embedder; an id given again
    /// updates that item. Running services pick the change up on their next request.
    /// </summary>
    public static ColdStartReport AddColdStartItems(string checkpoint, string file)
    {
        var parsed = ColdStartCatalog.ReadFile(Path.GetFullPath(file));
        var (catalog, dataset) = OpenCatalog(checkpoint);
        var ids = dataset.Items.Select(i => i.ExternalId).ToHashSet(StringComparer.Ordinal);
        var (added, updated) = catalog.Add(parsed, ids.Contains);
        return new ColdStartReport(catalog.Folder, added, updated, catalog.Items);
    }

    /// <summary>The cold-start items registered beside <paramref name="checkpoint"/>.</summary>
    public static IReadOnlyList<ColdStartItem> ListColdStartItems(string checkpoint)
    {
        var path = Path.Combine(ColdStartCatalog.FolderOf(CheckpointDirectoryOf(checkpoint)), ColdStartCatalog.ItemsFile);
        return File.Exists(path) ? ColdStartCatalog.ReadFile(path) : [];
    }

    /// <summary>The full path of <paramref name="checkpoint"/>, which must hold a trained model.</summary>
    private static string CheckpointDirectoryOf(string checkpoint)
    {
        var directory = Path.GetFullPath(checkpoint);
        if (!MenderCheckpoint.Exists(directory))
            throw new FileNotFoundException($"{directory} is not a checkpoint (no {Checkpoint.ConfigFile} and {Checkpoint.WeightsFile}); train one with `mender train`", directory);
        return directory;
    }

    private static (ColdStartCatalog Catalog, Dataset Dataset) OpenCatalog(string checkpoint)
    {
        var directory = CheckpointDirectoryOf(checkpoint);
        var info = Checkpoint.LoadConfig<MenderCheckpointInfo>(directory);
        var dataset = DatasetLoader.Load(info.Dataset ?? throw new InvalidDataException($"checkpoint {directory} does not record its dataset"));
        var spec = info.Embedder ?? TextEmbedders.LexicalSpec();
        var embedder = new TextEmbedders(dataset).Get(spec);
        return (ColdStartCatalog.Open(directory, embedder, spec), dataset);
    }

    public void Dispose()
    {
        if (ownsChat && chat is { IsValueCreated: true }) chat.Value.Dispose();
        thoughts?.Dispose();
        searchGate.Dispose();
        llmGate.Dispose();
    }
}
