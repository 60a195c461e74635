using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace Mender.Recommender.Embeddings;

/// <summary>
/// The built-in, dependency-free embedder: TF-IDF over word and character n-grams (<see cref="TfIdfVectorizer"/>),
/// projected onto the top d right singular vectors of the catalogue's TF-IDF matrix (<see cref="RandomizedSvd"/>,
/// latent semantic analysis) and L2-normalized. It is fitted on a catalogue, so it embeds texts in the terms of that
/// catalogue; the same corpus, options and seed give the same embeddings bit for bit.
/// </summary>
public sealed class LexicalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly TfIdfVectorizer vectorizer;
    private readonly float[] components;
    private readonly EmbeddingGeneratorMetadata metadata;

    private LexicalEmbeddingGenerator(TfIdfVectorizer vectorizer, float[] components, float[] singularValues,
        LexicalEmbedderOptions options, string fingerprint)
    {
        this.vectorizer = vectorizer;
        this.components = components;
        SingularValues = singularValues;
        Options = options;
        Fingerprint = fingerprint;
        metadata = new EmbeddingGeneratorMetadata("mender-lexical", null, NameFor(options), options.Dimensions);
    }

    /// <summary>The name that every output carries, e.g. <c>lexical-tfidf-svd-d128</c>.</summary>
    public string Name => metadata.DefaultModelId!;

    /// <summary>The length of every embedding.</summary>
    public int Dimensions => Options.Dimensions;
    /// <summary>The settings the embedder was fitted with.</summary>
    public LexicalEmbedderOptions Options { get; }
    /// <summary>The number of word and n-gram features the embedder knows.</summary>
    public int Vocabulary => this.vectorizer.Features;
    /// <summary>The singular values of the fitted projection, largest first, for diagnostics.</summary>
    public IReadOnlyList<float> SingularValues { get; }

    /// <summary>Identifies the fit (corpus and options): embeddings cached under one fingerprint are valid only for it.</summary>
    public string Fingerprint { get; }

    /// <summary>The model name an embedder with these options reports.</summary>
    public static string NameFor(LexicalEmbedderOptions options) => $"lexical-tfidf-svd-d{options.Dimensions}";

    /// <summary>A digest of the corpus and options, known before fitting, so a cache can be consulted without fitting.</summary>
    public static string FingerprintOf(IReadOnlyList<string> corpus, LexicalEmbedderOptions options)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(options.ToString()));
        foreach (var text in corpus)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text));
            hash.AppendData([0]);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }

    /// <summary>Fits the vocabulary, idf and projection on <paramref name="corpus"/> (the catalogue's item texts).</summary>
    public static LexicalEmbeddingGenerator Fit(IReadOnlyList<string> corpus, LexicalEmbedderOptions? options = null,
        CancellationToken cancellation = default)
    {
        options ??= new LexicalEmbedderOptions();
        options.Validate();
        if (corpus.Count == 0) throw new ArgumentException("cannot fit the lexical embedder on an empty corpus");
        var (vectorizer, matrix) = TfIdfVectorizer.Fit(corpus, options, cancellation);
        var (components, singular) = RandomizedSvd.Compute(
            matrix, options.Dimensions, options.Oversampling, options.PowerIterations, options.Seed, cancellation);
        return new LexicalEmbeddingGenerator(vectorizer, components, singular, options, FingerprintOf(corpus, options));
    }

    /// <inheritdoc/>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values as IReadOnlyList<string> ?? values.ToArray();
        var vectors = new float[texts.Count][];
        Parallel.For(0, texts.Count, new ParallelOptions { CancellationToken = cancellationToken },
            i => vectors[i] = Embed(texts[i] ?? throw new ArgumentException("cannot embed a null text")));
        var created = DateTimeOffset.UtcNow;
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Count);
        foreach (var vector in vectors)
            result.Add(new Embedding<float>(vector) { ModelId = Name, CreatedAt = created });
        return Task.FromResult(result);
    }

    /// <summary>One text's embedding: its TF-IDF row times the components, L2-normalized (all zeros if no known feature occurs).</summary>
    public float[] Embed(string text)
    {
        var (columns, values) = this.vectorizer.Transform(text);
        var d = Dimensions;
        var embedding = new float[d];
        for (var k = 0; k < columns.Length; k++)
            TensorPrimitives.MultiplyAdd(this.components.AsSpan(columns[k] * d, d), values[k], embedding, embedding);
        var norm = TensorPrimitives.Norm(embedding);
        if (norm > 0) TensorPrimitives.Divide(embedding, norm, embedding);
        return embedding;
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
    }
}
