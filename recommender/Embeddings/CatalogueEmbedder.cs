using Microsoft.Extensions.AI;

namespace Mender.Recommender.Embeddings;

/// <summary>
/// Which embedder turns a catalogue's item texts into vectors, and under what identity its embeddings are cached.
/// Any <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> will do; the built-in lexical one is fitted on the very
/// texts it then embeds, so its cache identity includes a fingerprint of that corpus.
/// </summary>
public sealed class CatalogueEmbedder
{
    private readonly Func<IReadOnlyList<string>, string> cacheKey;
    private readonly Func<IReadOnlyList<string>, CancellationToken, Task<IEmbeddingGenerator<string, Embedding<float>>>> create;

    private CatalogueEmbedder(string name, Func<IReadOnlyList<string>, string> cacheKey,
        Func<IReadOnlyList<string>, CancellationToken, Task<IEmbeddingGenerator<string, Embedding<float>>>> create)
    {
        Name = name;
        this.cacheKey = cacheKey;
        this.create = create;
    }

    /// <summary>The name recorded in every output, e.g. <c>lexical-tfidf-svd-d128</c> or a model's id.</summary>
    public string Name { get; }

    /// <summary>An embedder fitted on the catalogue's own texts, needing no model download.</summary>
    public static CatalogueEmbedder Lexical(LexicalEmbedderOptions? options = null)
    {
        options ??= new LexicalEmbedderOptions();
        options.Validate();
        return new CatalogueEmbedder(
            LexicalEmbeddingGenerator.NameFor(options),
            texts => $"{LexicalEmbeddingGenerator.NameFor(options)}-{LexicalEmbeddingGenerator.FingerprintOf(texts, options)}",
            (texts, cancellation) => Task.Run<IEmbeddingGenerator<string, Embedding<float>>>(
                () => LexicalEmbeddingGenerator.Fit(texts, options, cancellation), cancellation));
    }

    /// <summary>
    /// An external embedder, created only when some text is not cached yet. <paramref name="name"/> must identify the
    /// model and everything that changes its output (pooling, for instance): it is the cache key.
    /// </summary>
    public static CatalogueEmbedder From(string name, Func<CancellationToken, Task<IEmbeddingGenerator<string, Embedding<float>>>> factory)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("an embedder needs a name");
        return new CatalogueEmbedder(name, _ => name, (_, cancellation) => factory(cancellation));
    }

    /// <summary>An existing generator, named by its metadata's model id (or provider) unless a name is given.</summary>
    public static CatalogueEmbedder From(IEmbeddingGenerator<string, Embedding<float>> generator, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        name ??= metadata?.DefaultModelId ?? metadata?.ProviderName ?? generator.GetType().Name;
        return From(name, _ => Task.FromResult(generator));
    }

    /// <summary>The key the embeddings of these texts are cached under: changes with the embedder and the texts.</summary>
    public string CacheKey(IReadOnlyList<string> texts) => this.cacheKey(texts);

    /// <summary>The embeddings of <paramref name="texts"/> (row-major, one row per text) and their width, from the cache under <paramref name="cacheRoot"/> where possible.</summary>
    public async Task<(float[] Matrix, int Dimensions)> EmbedAsync(IReadOnlyList<string> texts, string cacheRoot,
        int batchSize = 64, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellation = default)
    {
        var cache = EmbeddingCache.Open(cacheRoot, CacheKey(texts));
        var matrix = await cache.GetOrGenerateAsync(texts, c => this.create(texts, c), batchSize, progress, cancellation)
            .ConfigureAwait(false);
        return (matrix, cache.Dimensions);
    }
}
