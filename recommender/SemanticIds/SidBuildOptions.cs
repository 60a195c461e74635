using Mender.Recommender.Embeddings;

namespace Mender.Recommender.SemanticIds;

/// <summary>How item embeddings are turned into semantic IDs.</summary>
public enum SidMethod
{
    /// <summary>Residual k-means: each level clusters what the earlier levels left.</summary>
    RkMeans,
    /// <summary>A residual-quantized variational autoencoder trained on the embeddings.</summary>
    RqVae,
}

/// <summary>Everything that decides a semantic-ID build; all of it is recorded in <c>build.json</c>.</summary>
public sealed record SidBuildOptions
{
    /// <summary>The quantizer.</summary>
    public SidMethod Method { get; init; } = SidMethod.RkMeans;

    /// <summary>Seeds the lexical embedder's SVD and the quantizer.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Learned codes per SID, before the collision code.</summary>
    public int Levels { get; init; } = 3;
    /// <summary>Codewords per level.</summary>
    public int CodebookSize { get; init; } = 256;

    /// <summary>The embedder; null means the lexical one with default settings and the build's seed.</summary>
    public CatalogueEmbedder? Embedder { get; init; }

    /// <summary>
    /// Items sharing all earlier codes get distinct last codes where the codebook allows (collision-aware last level);
    /// false keeps plain nearest-codeword coding and leaves all separation to the collision code.
    /// </summary>
    public bool DistinctLastLevel { get; init; } = true;

    /// <summary>
    /// Blends a co-occurrence embedding of the training histories into the text embedding (off by default), so that
    /// items bought together share code prefixes.
    /// </summary>
    public CooccurrenceOptions Cooccurrence { get; init; } = new();

    /// <summary>Lloyd iterations at most per level of residual k-means.</summary>
    public int KMeansIterations { get; init; } = 100;
    /// <summary>The RQ-VAE's settings, used when the method is <see cref="SidMethod.RqVae"/>.</summary>
    public RqVaeOptions RqVae { get; init; } = new();

    /// <summary>Texts per embedder call: each batch is cached as soon as it is done.</summary>
    public int EmbeddingBatchSize { get; init; } = 64;

    /// <summary>Where embeddings are cached; null means <c>embeddings/</c> inside the output directory.</summary>
    public string? EmbeddingCacheDirectory { get; init; }

    /// <summary>The method's name as manifests and the command line spell it.</summary>
    public static string MethodName(SidMethod method) => method switch
    {
        SidMethod.RkMeans => "rkmeans",
        SidMethod.RqVae => "rqvae",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    /// <summary>Reads a method name, with or without the hyphen; throws on an unknown one.</summary>
    public static SidMethod ParseMethod(string name) => name.ToLowerInvariant() switch
    {
        "rkmeans" or "rk-means" => SidMethod.RkMeans,
        "rqvae" or "rq-vae" => SidMethod.RqVae,
        _ => throw new ArgumentException($"unknown SID method '{name}' (use rkmeans or rqvae)"),
    };
}
