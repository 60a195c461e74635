using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Mender.Llm.Chat;
using Mender.Llm.Generation;
using Mender.Llm.Inference;
using Mender.Llm.Sampling;
using Mender.Llm.Tokenizers;
using Microsoft.Extensions.AI;

namespace Mender.Llm.Adapters;

/// <summary>
/// <see cref="IChatClient"/> over a local GGUF model: renders the conversation with the model's chat template, generates
/// with the engine, and honours ChatOptions (temperature, top-p, top-k, seed, max output tokens, stop sequences,
/// frequency/presence penalties, instructions, and JSON response formats, which constrain the output to the schema).
/// Up to <see cref="LocalChatClientOptions.ParallelRequests"/> concurrent requests are decoded together; each KV-cache
/// sequence keeps its tokens between requests, so a shared prefix (system prompt, earlier turns) is evaluated once.
/// </summary>
internal sealed class LocalChatClient : IChatClient
{
    private readonly LlmModel _model;
    private readonly bool _ownsModel;
    private readonly LocalChatClientOptions _options;
    private readonly ChatClientMetadata _metadata;
    private readonly Lazy<BatchGenerator> _generator;
    private bool _disposed;

    public LocalChatClient(LlmModel model, LocalChatClientOptions? options = null)
        : this(model, ownsModel: false, options)
    {
    }

    private LocalChatClient(LlmModel model, bool ownsModel, LocalChatClientOptions? options)
    {
        _model = model;
        _ownsModel = ownsModel;
        _options = options ?? new LocalChatClientOptions();
        Tokenizer = Tokenizer.FromGguf(model.File);
        Template = _options.Template is { } name
            ? ChatTemplate.ByName(name)
            : ChatTemplate.Detect(model.File.GetString("tokenizer.chat_template"), Tokenizer.Vocabulary);
        ModelId = _options.ModelId ?? model.File.GetString("general.name") ?? Path.GetFileNameWithoutExtension(model.File.Path);
        _metadata = new ChatClientMetadata("mender-local", new Uri(Path.GetFullPath(model.File.Path)), ModelId);
        _generator = new Lazy<BatchGenerator>(() => new BatchGenerator(_model, Tokenizer, _options.ParallelRequests, _options.ContextLength));
    }

    /// <summary>Loads a GGUF model that the client owns (and disposes).</summary>
    public static LocalChatClient Open(string path, LocalChatClientOptions? options = null)
    {
        var model = LlmModel.Load(path, options?.Threads ?? 0);
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

    public Tokenizer Tokenizer { get; }

    public ChatTemplate Template { get; }

    public string ModelId { get; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var (prompt, generation) = Prepare(messages, options);
        var result = await _generator.Value.GenerateAsync(prompt, generation, null, cancellationToken).ConfigureAwait(false);
        // SentencePiece models start their answer with the space that precedes a word; the answer does not.
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, result.Text.TrimStart()))
        {
            ModelId = ModelId,
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = Finish(result.FinishReason),
            Usage = Usage(result),
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (prompt, generation) = Prepare(messages, options);
        var pieces = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        // A caller that stops reading early also stops the generation.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var generating = _generator.Value.GenerateAsync(prompt, generation, piece => pieces.Writer.TryWrite(piece), stop.Token);
        _ = generating.ContinueWith(t => pieces.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);

        var responseId = Guid.NewGuid().ToString("N");
        var started = false;
        GenerationResult result;
        try
        {
            await foreach (var piece in pieces.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // SentencePiece models start their answer with the space that precedes a word; the answer does not.
                var text = started ? piece : piece.TrimStart();
                if (text.Length == 0) continue;
                started = true;
                yield return new ChatResponseUpdate(ChatRole.Assistant, text) { ResponseId = responseId, ModelId = ModelId, CreatedAt = DateTimeOffset.UtcNow };
            }
            result = await generating.ConfigureAwait(false);
        }
        finally
        {
            stop.Cancel();
        }
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(Usage(result))])
        {
            ResponseId = responseId,
            ModelId = ModelId,
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = Finish(result.FinishReason),
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata)) return _metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_generator.IsValueCreated) _generator.Value.Dispose();
        if (_ownsModel) _model.Dispose();
    }

    /// <summary>Renders and tokenizes the conversation and turns ChatOptions into generation options.</summary>
    internal (int[] Prompt, GenerationOptions Options) Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var turns = messages.Select(m => new ChatTurn(RoleName(m.Role), m.Text)).ToList();
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            if (turns.Count > 0 && turns[0].Role == "system")
                turns[0] = ChatTurn.System(options.Instructions + "\n\n" + turns[0].Content);
            else
                turns.Insert(0, ChatTurn.System(options.Instructions));
        }
        if (turns.Count == 0) throw new ArgumentException("the conversation has no messages", nameof(messages));
        var prompt = Template.Encode(Tokenizer, turns);

        var defaults = _options.DefaultSampling;
        var sampling = defaults with
        {
            Temperature = options?.Temperature ?? defaults.Temperature,
            TopP = options?.TopP ?? defaults.TopP,
            TopK = options?.TopK ?? defaults.TopK,
            FrequencyPenalty = options?.FrequencyPenalty ?? defaults.FrequencyPenalty,
            PresencePenalty = options?.PresencePenalty ?? defaults.PresencePenalty,
            Seed = options?.Seed is { } seed ? unchecked((ulong)seed) : defaults.Seed,
        };
        ITokenConstraint? constraint = options?.ResponseFormat switch
        {
            ChatResponseFormatJson { Schema: { } schema } => new JsonSchemaConstraint(JsonSchemaNode.Parse(schema), TokenByteTable.For(Tokenizer)),
            ChatResponseFormatJson => new JsonSchemaConstraint(JsonSchemaNode.AnyObject, TokenByteTable.For(Tokenizer)),
            _ => null,
        };
        return (prompt, new GenerationOptions
        {
            MaxTokens = options?.MaxOutputTokens ?? _options.DefaultMaxTokens,
            Sampling = sampling,
            StopStrings = options?.StopSequences?.ToArray() ?? [],
            Constraint = constraint,
        });
    }

    private static string RoleName(ChatRole role) => role.Value.ToLowerInvariant();

    private static ChatFinishReason Finish(FinishReason reason) =>
        reason == FinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop;

    private static UsageDetails Usage(GenerationResult result) => new()
    {
        InputTokenCount = result.PromptTokens,
        OutputTokenCount = result.Tokens.Length,
        TotalTokenCount = result.PromptTokens + result.Tokens.Length,
    };
}
