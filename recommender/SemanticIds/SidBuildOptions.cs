using Mender.Recommender.Embeddings;

namespace Mender.Recommender.SemanticIds;

public enum SidMethod
{
    RkMeans,
    RqVae,
}

/// <summary>Everything that decides a semantic-ID build; all of it is recorded in <c>build.json</c>.</summary>
public sealed record SidBuildOptions
{
    public SidMethod Method { get; init; } = SidMethod.RkMeans;

    /// <summary>Seeds the lexical embedder's SVD and the quantizer.</summary>
    public int Seed { get; init; } = 42;

    public int Levels { get; init; } = 3;
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

    public int KMeansIterations { get; init; } = 100;
    public RqVaeOptions RqVae { get; init; } = new();

    /// <summary>Texts per embedder call: each batch is cached as soon as it is done.</summary>
    public int EmbeddingBatchSize { get; init; } = 64;

    /// <summary>Where embeddings are cached; null means <c>embeddings/</c> inside the output directory.</summary>
    public string? EmbeddingCacheDirectory { get; init; }

    public static string MethodName(SidMethod method) => method switch
    {
        SidMethod.RkMeans => "rkmeans",
        SidMethod.RqVae => "rqvae",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    public static SidMethod ParseMethod(string name) => name.ToLowerInvariant() switch
    {
        "rkmeans" or "rk-means" => SidMethod.RkMeans,
        "rqvae" or "rq-vae" => SidMethod.RqVae,
        _ => throw new ArgumentException($"unknown SID method '{name}' (use rkmeans or rqvae)"),
    };
}
