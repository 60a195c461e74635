using System.Numerics.Tensors;
using LLama;
using LLama.Native;
using Mender.Llm.Runtime;
using Microsoft.Extensions.AI;

namespace Mender.Llm.Adapters;

/// <summary>
/// <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> over a local GGUF model run by llama.cpp: each text's final
/// hidden states are pooled by llama.cpp (mean or last token, whatever the file says) and L2-normalized here. Texts
/// longer than the context are cut to it. A requested smaller dimension keeps the leading components (renormalized).
/// Texts are evaluated one sequence at a time in a fresh cache, so a text's embedding does not depend on its neighbours.
/// </summary>
public sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly LlmModel model;
    private readonly bool ownsModel;
    private readonly int contextLength;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly EmbeddingGeneratorMetadata metadata;
    private readonly LLamaPoolingType pooling;
    private LLamaContext? context;
    private bool disposed;

    /// <summary>An embedding generator over a loaded model that stays the caller's to dispose; texts longer than the context are cut.</summary>
    public LocalEmbeddingGenerator(LlmModel model, EmbeddingPooling pooling = EmbeddingPooling.Mean, int contextLength = 512)
        : this(model, ownsModel: false, pooling, contextLength)
    {
    }

    private LocalEmbeddingGenerator(LlmModel model, bool ownsModel, EmbeddingPooling pooling, int contextLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 1);
        this.model = model;
        this.ownsModel = ownsModel;
        this.pooling = pooling == EmbeddingPooling.LastToken ? LLamaPoolingType.Last : LLamaPoolingType.Mean;
        this.contextLength = Math.Min(contextLength, model.TrainedContextLength);
        ModelId = model.Name;
        metadata = new EmbeddingGeneratorMetadata("mender-llamasharp", new Uri(Path.GetFullPath(model.Path)), ModelId, Dimensions);
    }

    /// <summary>Loads a GGUF model that the generator owns (and disposes).</summary>
    public static LocalEmbeddingGenerator Open(string path, EmbeddingPooling pooling = EmbeddingPooling.Mean, int contextLength = 512,
        LlmModelOptions? options = null)
    {
        var model = LlmModel.Load(path, options);
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

    /// <summary>The model's name as the generator's metadata reports it.</summary>
    public string ModelId { get; }

    /// <summary>The length of every embedding: the model's hidden size.</summary>
    public int Dimensions => this.model.EmbeddingLength;

    /// <inheritdoc/>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var texts = values.ToArray();
        var dimensions = options?.Dimensions ?? Dimensions;
        if (dimensions < 1 || dimensions > Dimensions)
            throw new ArgumentException($"{dimensions} dimensions requested; the model gives 1 to {Dimensions}");
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
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
            gate.Release();
        }
    }

    /// <summary>The pooled, normalized embedding of one text.</summary>
    internal float[] Embed(string text, int dimensions, out int tokenCount)
    {
        var tokens = this.model.Tokenize(text, addSpecial: true);
        if (tokens.Length == 0) throw new ArgumentException("an embedding needs at least one token; the text is empty");
        if (tokens.Length > this.contextLength) tokens = tokens[..this.contextLength];
        tokenCount = tokens.Length;
        var context = this.context ??= this.model.CreateContext(this.contextLength, embeddings: true, pooling: this.pooling);
        var handle = context.NativeHandle;
        handle.MemoryClear(true);
        var batch = new LLamaBatch();
        for (var i = 0; i < tokens.Length; i++) batch.Add(tokens[i], i, LLamaSeqId.Zero, i == tokens.Length - 1);
        var decoded = handle.Decode(batch);
        if (decoded != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp could not embed the text ({decoded})");
        var pooled = handle.GetEmbeddingsSeq(LLamaSeqId.Zero);
        var vector = pooled[..dimensions].ToArray();
        if (!float.IsFinite(TensorPrimitives.Sum(vector)))
            throw new InvalidDataException($"'{this.model.Path}' gives embeddings that are not finite numbers: its weights hold NaN or infinite values");
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0) TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        this.context?.Dispose();
        if (this.ownsModel) this.model.Dispose();
        gate.Dispose();
    }
}
