using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Mender.Llm.Chat;
using Mender.Llm.Constraints;
using Mender.Llm.Generation;
using Mender.Llm.Runtime;
using Microsoft.Extensions.AI;

namespace Mender.Llm.Adapters;

/// <summary>
/// <see cref="IChatClient"/> over a local GGUF model run by llama.cpp: renders the conversation with the model's chat
/// template, generates on a <see cref="BatchGenerator"/> and honours ChatOptions (temperature, top-p, top-k, seed, max
/// output tokens, stop sequences, frequency and presence penalties, instructions, and JSON response formats, which
/// constrain the output to the schema through a grammar, and tools, called through constrained output as
/// <see cref="ToolCallProtocol"/> describes). LLamaSharp's own chat adapter serves one request at a time
/// and knows no response formats; this one decodes up to <see cref="LocalChatClientOptions.ParallelRequests"/>
/// requests together and reuses any prompt prefix already in the cache.
/// </summary>
public sealed class LocalChatClient : IChatClient, IPromptBudget
{
    private readonly LlmModel model;
    private readonly bool ownsModel;
    private readonly LocalChatClientOptions options;
    private readonly ChatClientMetadata metadata;
    private readonly Lazy<BatchGenerator> generator;
    private bool disposed;

    /// <summary>A chat client over a loaded model that stays the caller's to dispose.</summary>
    public LocalChatClient(LlmModel model, LocalChatClientOptions? options = null)
        : this(model, ownsModel: false, options)
    {
    }

    private LocalChatClient(LlmModel model, bool ownsModel, LocalChatClientOptions? options)
    {
        this.model = model;
        this.ownsModel = ownsModel;
        this.options = options ?? new LocalChatClientOptions();
        if (this.options.ParallelRequests < 1) throw new ArgumentException($"parallel requests must be at least 1, got {this.options.ParallelRequests}");
        if (this.options.ContextLength < 0) throw new ArgumentException($"context length must be 0 (the model's) or more, got {this.options.ContextLength}");
        Template = ChatTemplate.For(model, this.options.Template);
        ModelId = this.options.ModelId ?? model.Name;
        ContextLength = this.options.ContextLength > 0 ? this.options.ContextLength : Math.Min(model.TrainedContextLength, 4096);
        metadata = new ChatClientMetadata("mender-llamasharp", new Uri(Path.GetFullPath(model.Path)), ModelId);
        generator = new Lazy<BatchGenerator>(() => new BatchGenerator(this.model, this.options.ParallelRequests, ContextLength, this.options.ReusePromptPrefixes));
    }

    /// <summary>Loads a GGUF model that the client owns (and disposes).</summary>
    public static LocalChatClient Open(string path, LocalChatClientOptions? options = null)
    {
        var model = LlmModel.Load(path, options?.Model);
        try
        {
            return new LocalChatClient(model, ownsModel: true, options);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The chat template that turns messages into the prompt the model was trained on.</summary>
    public ChatTemplate Template { get; }

    /// <summary>The model's name as responses report it.</summary>
    public string ModelId { get; }

    /// <summary>The loaded model the client generates with.</summary>
    public LlmModel Model => this.model;

    /// <inheritdoc/>
    public int ContextLength { get; }

    /// <inheritdoc/>
    public int CountTokens(IEnumerable<ChatMessage> messages, ChatOptions? options = null) => Encode(messages, options).Length;

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var (prompt, generation) = Prepare(messages, options);
        var result = await generator.Value.GenerateAsync(prompt, generation, null, cancellationToken).ConfigureAwait(false);
        // SentencePiece models start their answer with the space that precedes a word; the answer does not.
        var text = result.Text.TrimStart();
        var message = ToolCallProtocol.Offered(options).Count > 0 ? ToolCallProtocol.Parse(text) : new ChatMessage(ChatRole.Assistant, text);
        return new ChatResponse(message)
        {
            ModelId = ModelId,
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = Finish(result.FinishReason),
            Usage = Usage(result),
        };
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (ToolCallProtocol.Offered(options).Count > 0)
        {
            // A tool call is only known once its JSON is complete: it comes as one update.
            var whole = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            foreach (var update in whole.ToChatResponseUpdates()) yield return update;
            yield break;
        }
        var (prompt, generation) = Prepare(messages, options);
        var pieces = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        // A caller that stops reading early also stops the generation.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var generating = generator.Value.GenerateAsync(prompt, generation, piece => pieces.Writer.TryWrite(piece), stop.Token);
        _ = generating.ContinueWith(t => pieces.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);

        var responseId = Guid.NewGuid().ToString("N");
        var started = false;
        GenerationResult result;
        try
        {
            await foreach (var piece in pieces.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var text = started ? piece : piece.TrimStart();
                if (text.Length == 0) continue;
                started = true;
                yield return new ChatResponseUpdate(ChatRole.Assistant, text) { ResponseId = responseId, ModelId = ModelId, CreatedAt = DateTimeOffset.UtcNow };
            }
            result = await generating.ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(Usage(result))])
        {
            ResponseId = responseId,
            ModelId = ModelId,
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = Finish(result.FinishReason),
        };
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata)) return metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (generator.IsValueCreated) generator.Value.Dispose();
        if (this.ownsModel) this.model.Dispose();
    }

    /// <summary>Renders and tokenizes the conversation and turns ChatOptions into generation options.</summary>
    internal (int[] Prompt, GenerationOptions Options) Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var prompt = Encode(messages, options);
        var defaults = this.options.DefaultSampling;
        var sampling = defaults with
        {
            Temperature = options?.Temperature ?? defaults.Temperature,
            TopP = options?.TopP ?? defaults.TopP,
            TopK = options?.TopK ?? defaults.TopK,
            FrequencyPenalty = options?.FrequencyPenalty ?? defaults.FrequencyPenalty,
            PresencePenalty = options?.PresencePenalty ?? defaults.PresencePenalty,
            Seed = options?.Seed is { } seed ? unchecked((ulong)seed) : defaults.Seed,
        };
        var tools = ToolCallProtocol.Offered(options);
        var grammar = options?.ResponseFormat switch
        {
            _ when tools.Count > 0 => JsonSchemaGrammar.FromSchema(ToolCallProtocol.Schema(tools, ToolCallProtocol.CallRequired(options))),
            ChatResponseFormatJson { Schema: { } schema } => JsonSchemaGrammar.FromSchema(schema),
            ChatResponseFormatJson => JsonSchemaGrammar.AnyObject,
            _ => null,
        };
        return (prompt, new GenerationOptions
        {
            MaxTokens = options?.MaxOutputTokens ?? this.options.DefaultMaxTokens,
            Sampling = sampling,
            StopStrings = options?.StopSequences?.ToArray() ?? [],
            Grammar = grammar,
        });
    }

    private int[] Encode(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var turns = messages.Select(Turn).ToList();
        var tools = ToolCallProtocol.Offered(options);
        var instructions = tools.Count > 0
            ? string.Join("\n\n", new[] { options!.Instructions, ToolCallProtocol.Instructions(tools, ToolCallProtocol.CallRequired(options)) }.Where(i => !string.IsNullOrEmpty(i)))
            : options?.Instructions;
        if (!string.IsNullOrEmpty(instructions))
        {
            if (turns.Count > 0 && turns[0].Role == "system")
                turns[0] = ("system", instructions + "\n\n" + turns[0].Content);
            else
                turns.Insert(0, ("system", instructions));
        }
        if (turns.Count == 0) throw new ArgumentException("the conversation has no messages", nameof(messages));
        // The rendered text holds the template's control tokens as text, which llama.cpp's tokenizer turns into those tokens.
        return this.model.Tokenize(Template.Render(turns), addSpecial: true, parseSpecial: true);
    }

    /// <summary>
    /// A message as a template turn. Tool results come back as the user's turn, since most chat templates know no tool
    /// role; calls and results are written as <see cref="ToolCallProtocol"/> writes them.
    /// </summary>
    private static (string Role, string Content) Turn(ChatMessage message)
    {
        var role = message.Role == ChatRole.Tool ? "user" : message.Role.Value.ToLowerInvariant();
        var plain = message.Contents.All(c => c is TextContent);
        return (role, plain ? message.Text : ToolCallProtocol.Text(message));
    }

    private static ChatFinishReason Finish(FinishReason reason) =>
        reason == FinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop;

    private static UsageDetails Usage(GenerationResult result) => new()
    {
        InputTokenCount = result.PromptTokens,
        OutputTokenCount = result.Tokens.Length,
        TotalTokenCount = result.PromptTokens + result.Tokens.Length,
        CachedInputTokenCount = result.CachedPromptTokens,
    };
}
