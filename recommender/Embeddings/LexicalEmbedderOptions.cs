namespace Mender.Recommender.Embeddings;

/// <summary>Settings of the lexical embedder; every one of them changes the embeddings, so all go into its fingerprint.</summary>
public sealed record LexicalEmbedderOptions
{
    /// <summary>Output dimensions d (the rank of the truncated SVD).</summary>
    public int Dimensions { get; init; } = 128;

    /// <summary>Features seen in fewer documents than this are dropped: they cannot make two items alike.</summary>
    public int MinDocumentFrequency { get; init; } = 2;

    /// <summary>The shortest character n-grams counted as features.</summary>
    public int MinCharGram { get; init; } = 3;
    /// <summary>The longest character n-grams counted as features.</summary>
    public int MaxCharGram { get; init; } = 5;

    /// <summary>Share of each document vector's squared norm given to word features; the rest goes to character n-grams.</summary>
    public double WordWeight { get; init; } = 0.5;

    /// <summary>Extra random directions beyond d in the randomized SVD (Halko et al. suggest 5 to 10 or more).</summary>
    public int Oversampling { get; init; } = 16;

    /// <summary>Power iterations of the randomized SVD; each sharpens the captured subspace toward the top singular vectors.</summary>
    public int PowerIterations { get; init; } = 2;

    /// <summary>Seed of the randomised SVD, so the same texts give the same embeddings.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Throws when a setting is out of range, before fitting.</summary>
    public void Validate()
    {
        if (Dimensions < 1) throw new ArgumentException("lexical embedder dimensions must be at least 1");
        if (MinDocumentFrequency < 1) throw new ArgumentException("minimum document frequency must be at least 1");
        if (MinCharGram < 1 || MaxCharGram < MinCharGram) throw new ArgumentException("character n-gram range must be 1 <= min <= max");
        if (!(WordWeight is >= 0 and <= 1)) throw new ArgumentException("word weight must lie in [0, 1]");
        if (Oversampling < 0 || PowerIterations < 0) throw new ArgumentException("oversampling and power iterations must not be negative");
    }
}
