using System.Numerics.Tensors;
using Mender.Llm.Inference;
using Mender.Llm.Tokenizers;
using Microsoft.Extensions.AI;

namespace Mender.Llm.Adapters;

/// <summary>
/// <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> over a local GGUF model: each text is run through the model
/// and its final hidden states are pooled (mean or last token) and L2-normalized. Texts longer than the context are
/// cut to it. A requested smaller dimension keeps the leading components (renormalized).
/// </summary>
internal sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly LlmModel _model;
    private readonly bool _ownsModel;
    private readonly EmbeddingPooling _pooling;
    private readonly int _contextLength;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly EmbeddingGeneratorMetadata _metadata;
    private InferenceSession? _session;
    private bool _disposed;

    public LocalEmbeddingGenerator(LlmModel model, EmbeddingPooling pooling = EmbeddingPooling.Mean, int contextLength = 512)
        : this(model, ownsModel: false, pooling, contextLength)
    {
    }

    private LocalEmbeddingGenerator(LlmModel model, bool ownsModel, EmbeddingPooling pooling, int contextLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        _model = model;
        _ownsModel = ownsModel;
        _pooling = pooling;
        _contextLength = Math.Min(contextLength, model.Config.ContextLength);
        Tokenizer = Tokenizer.FromGguf(model.File);
        ModelId = model.File.GetString("general.name") ?? Path.GetFileNameWithoutExtension(model.File.Path);
        _metadata = new EmbeddingGeneratorMetadata("mender-local", new Uri(Path.GetFullPath(model.File.Path)), ModelId, Dimensions);
    }

    /// <summary>Loads a GGUF model that the generator owns (and disposes).</summary>
    public static LocalEmbeddingGenerator Open(string path, EmbeddingPooling pooling = EmbeddingPooling.Mean, int contextLength = 512, int threads = 0)
    {
        var model = LlmModel.Load(path, threads);
        try
        {
            return new LocalEmbeddingGenerator(model, ownsModel: true, pooling, contextLength);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public Tokenizer Tokenizer { get; }

    public string ModelId { get; }

    public int Dimensions => _model.Config.EmbeddingLength;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var texts = values.ToArray();
        var dimensions = options?.Dimensions ?? Dimensions;
        if (dimensions < 1 || dimensions > Dimensions)
            throw new ArgumentException($"{dimensions} dimensions requested; the model gives 1 to {Dimensions}");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() =>
            {
                var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
                var tokenCount = 0;
                foreach (var text in texts)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var vector = Embed(text, dimensions, out var used);
                    tokenCount += used;
                    result.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = DateTimeOffset.UtcNow });
                }
                result.Usage = new UsageDetails { InputTokenCount = tokenCount, TotalTokenCount = tokenCount };
                return result;
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The pooled, normalized embedding of one text.</summary>
    internal float[] Embed(string text, int dimensions, out int tokenCount)
    {
        var tokens = Tokenizer.Encode(text, addSpecial: true);
        if (tokens.Length == 0) throw new ArgumentException("an embedding needs at least one token; the text is empty");
        if (tokens.Length > _contextLength) tokens = tokens[.._contextLength];
        tokenCount = tokens.Length;
        var session = _session ??= _model.CreateSession(contextLength: _contextLength);
        session.ResetSequence(0);
        var width = Dimensions;
        var hidden = new float[tokens.Length * width];
        session.ForwardHidden(tokens, 0, hidden);
        session.ResetSequence(0);

        var pooled = new float[width];
        if (_pooling == EmbeddingPooling.LastToken)
            hidden.AsSpan((tokens.Length - 1) * width, width).CopyTo(pooled);
        else
        {
            for (var t = 0; t < tokens.Length; t++)
                TensorPrimitives.Add(pooled, hidden.AsSpan(t * width, width), pooled);
            TensorPrimitives.Divide(pooled, tokens.Length, pooled);
        }
        var vector = pooled[..dimensions];
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return _metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _session?.Dispose();
        if (_ownsModel) _model.Dispose();
        _gate.Dispose();
    }
}
