using Mender.Data;
using Mender.Llm.Adapters;
using Mender.Preference.Conversation;
using Mender.Preference.Extraction;
using Mender.Preference.Lexicon;
using Mender.Preference.Prompts;
using Mender.Service.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;

namespace Mender.Service.Pipeline;

/// <summary>
/// Where a request's preference comes from: typed as it is, a conversation's turns combined (by the language model
/// when one is loaded, else by rules), or reasoned out by the language model from the history; and, for callers who
/// have only reviews, extracted from them. The language model does one thing at a time: its work here is serialized.
/// </summary>
internal sealed class PreferenceSource : IDisposable
{
    private const int MaxReviews = 50;
    private const long ExtractionCacheBytes = 16L << 20;

    private readonly IThoughtModel? thoughts;
    private readonly StagedReasoner? reasoner;
    private readonly PromptLibrary? prompts;
    private readonly PromptTemplate? conversation;
    private readonly Lazy<IChatClient>? chat;
    private readonly bool ownsChat;
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>A source without a language model: typed preferences, rule-combined turns, lexicon extraction.</summary>
    public PreferenceSource()
    {
    }

    /// <summary>
    /// A source whose language model is <paramref name="client"/> (the caller keeps owning it), or else the GGUF model
    /// behind <paramref name="thoughts"/>.
    /// </summary>
    public PreferenceSource(IThoughtModel thoughts, IChatClient? client, string? promptsDirectory, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(thoughts);
        this.thoughts = thoughts;
        reasoner = new StagedReasoner(thoughts, ReasoningPrompt.Load(promptsDirectory));
        prompts = PromptLibrary.Load(promptsDirectory);
        conversation = ChatConversationCombiner.LoadPrompt(promptsDirectory);
        // Extraction answers are cached within the service's life: the same reviews asked about again cost nothing.
        var cache = new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions { SizeLimit = ExtractionCacheBytes }));
        if (client is not null) chat = new Lazy<IChatClient>(() => ChatPipeline.ForExtraction(client, cache, loggerFactory));
        else if (thoughts is LocalThoughtModel local)
        {
            chat = new Lazy<IChatClient>(() => ChatPipeline.ForExtraction(new LocalChatClient(local.Model, new() { ModelId = local.Name }), cache, loggerFactory));
            ownsChat = true;
        }
    }

    /// <summary>True when a language model is loaded, so reasoning mode works.</summary>
    public bool CanReason => reasoner is not null;

    /// <summary>The language model's name, when there is one.</summary>
    public string? ModelName => thoughts?.Name;

    /// <summary>
    /// The preference for <paramref name="resolved"/>: reasoned when <see cref="RecommendationRequest.Reasoning"/> asks for
    /// it (the thought's pieces go to <paramref name="onThought"/> as they are written), else the conversation combined,
    /// else the typed text.
    /// </summary>
    public async Task<ChosenPreference> ChooseAsync(ResolvedRequest resolved, Action<string>? onThought, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var preference = resolved.Typed;
        if (resolved.Turns is { Count: > 0 } turns && conversation is not null)
            preference = await CombineAsync(turns, preference, notes, cancellationToken).ConfigureAwait(false);
        if (!resolved.Request.Reasoning) return new ChosenPreference(preference, null, 0, 0, notes);

        ReasonedPreference reasoned;
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var stage = MenderTelemetry.Stage("reasoning");
            reasoned = await reasoner!.ThinkAsync(resolved.Entries, preference, piece => onThought?.Invoke(piece), cancellationToken).ConfigureAwait(false);
            stage.Tokens(reasoned.PromptTokens, reasoned.CompletionTokens);
        }
        finally
        {
            gate.Release();
        }
        if (reasoned.FellBack)
            notes.Add(reasoned.Preference is null
                ? "the reasoning produced no preference, and none was typed: recommending from the history alone"
                : "the reasoning produced no preference: the typed preference is used");
        return new ChosenPreference(reasoned.Preference, reasoned.Thought, reasoned.PromptTokens, reasoned.CompletionTokens, notes);
    }

    /// <summary>
    /// Preferences written from reviews: by the language model when one is loaded, with the batch job's retry policy
    /// (the lexicon extractor when its answers stay unusable), else by the lexicon extractor.
    /// </summary>
    public async Task<ExtractedPreferences> ExtractAsync(IReadOnlyList<ReviewInput> reviews, CancellationToken cancellationToken)
    {
        var window = Window(reviews);
        using var stage = MenderTelemetry.Stage("extraction");
        if (chat is not null)
        {
            var extractor = new ChatPreferenceExtractor(chat.Value, prompts!);
            var prompt = new ExtractionPrompt(prompts!.Extraction).Fit(window, extractor.Fits).Text;
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var tried = await ExtractionRetry.RunAsync(extractor, window, prompt, new ExtractionOptions().MaxAttempts, cancellationToken).ConfigureAwait(false);
                stage.Tokens((int)tried.InputTokens, (int)tried.OutputTokens);
                if (tried.Succeeded) return new ExtractedPreferences(tried.Last.Preferences, $"{extractor.Name} ({ModelName})");
            }
            finally
            {
                gate.Release();
            }
        }
        var lexicon = new LexiconPreferenceExtractor();
        return new ExtractedPreferences(lexicon.Extract(window).Preferences, lexicon.Name);
    }

    /// <summary>
    /// The conversation's preference as the language model combines it; the rules' combination (<paramref name="byRules"/>)
    /// when its answer is unusable, with a note saying so.
    /// </summary>
    private async Task<string?> CombineAsync(IReadOnlyList<string> turns, string? byRules, List<string> notes, CancellationToken cancellationToken)
    {
        var combiner = new ChatConversationCombiner(chat!.Value, conversation!);
        CombinationAttempt attempt;
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
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
            gate.Release();
        }
        if (attempt.Preference is { IsEmpty: false } combined)
        {
            notes.Add("the conversation's turns were combined by the language model");
            return combined.Text;
        }
        notes.Add($"the language model could not combine the turns ({attempt.Error}): they were combined by rules");
        return byRules;
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

    public void Dispose()
    {
        if (ownsChat && chat is { IsValueCreated: true }) chat.Value.Dispose();
        thoughts?.Dispose();
        gate.Dispose();
    }
}
