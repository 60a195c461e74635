using System.Numerics.Tensors;

namespace Mender.Recommender.Embeddings;

/// <summary>Settings of the co-occurrence embedding; all of them change the result, so all are recorded with a SID build.</summary>
public sealed record CooccurrenceOptions
{
    /// <summary>Share of each item vector's squared norm given to co-occurrence; the rest stays with the item text. 0 turns it off.</summary>
    public double Weight { get; init; }

    /// <summary>Length of the co-occurrence vectors.</summary>
    public int Dimensions { get; init; } = 64;

    /// <summary>Items at most this many positions apart in a history count as co-occurring, weighted by 1 / distance.</summary>
    public int Window { get; init; } = 3;

    /// <summary>Power iterations of the randomised SVD that reduces the co-occurrence matrix.</summary>
    public int PowerIterations { get; init; } = 3;

    /// <summary>True when co-occurrence vectors are mixed in at all.</summary>
    public bool Enabled => Weight > 0;

    /// <summary>Throws when a setting is out of range, before any work starts.</summary>
    public void Validate()
    {
        if (!(Weight is >= 0 and <= 1)) throw new ArgumentException($"co-occurrence weight {Weight} is not in [0, 1]");
        if (Dimensions < 1 || Window < 1 || PowerIterations < 0)
            throw new ArgumentException($"co-occurrence dimensions and window must be positive: {this}");
    }

    /// <summary>The settings in short, for names of cached files and reports.</summary>
    public override string ToString() => $"cooc-d{Dimensions}-w{Window}-weight{Weight:0.###}";
}

/// <summary>
/// Item vectors from how items follow one another in training histories: the positive pointwise mutual information of
/// windowed co-occurrence counts, factorised by a truncated SVD (Levy and Goldberg's view of word2vec as an implicit
/// PPMI factorisation, applied to items). Blended into the text embedding before quantisation, it gives items that
/// are bought together nearby semantic-ID prefixes, the collaborative indexing Hua et al. (2023) found strongest on
/// Amazon Beauty. Only training histories go in, so held-out items leak nothing.
/// </summary>
internal static class CooccurrenceEmbedding
{
    /// <summary>Row-major items × <see cref="CooccurrenceOptions.Dimensions"/>; an item never seen next to another gets a zero row.</summary>
    public static float[] Compute(IReadOnlyList<int[]> histories, int items, CooccurrenceOptions options, int seed,
        CancellationToken cancellation = default)
    {
        options.Validate();
        var ppmi = PositivePmi(Counts(histories, items, options.Window), items);
        cancellation.ThrowIfCancellationRequested();
        var rank = Math.Min(options.Dimensions, items);
        var (components, singular) = RandomizedSvd.Compute(ppmi, rank, oversampling: 16, options.PowerIterations, seed, cancellation);
        var result = new float[(long)items * options.Dimensions];
        for (var i = 0; i < items; i++)
            for (var j = 0; j < rank; j++)
                result[(long)i * options.Dimensions + j] = components[(long)i * rank + j] * MathF.Sqrt(singular[j]);
        return result;
    }

    /// <summary>
    /// Writes <c>√(1-w)·text + √w·cooc</c> with both rows unit-normalised, so <paramref name="weight"/> is the share of
    /// squared norm each side gets; an item without co-occurrences keeps its text part alone.
    /// </summary>
    public static float[] Blend(float[] text, int textDimensions, float[] cooccurrence, int cooccurrenceDimensions, int items, double weight)
    {
        var width = textDimensions + cooccurrenceDimensions;
        var result = new float[(long)items * width];
        var textScale = (float)Math.Sqrt(1 - weight);
        var cooccurrenceScale = (float)Math.Sqrt(weight);
        for (var i = 0; i < items; i++)
        {
            var row = result.AsSpan((int)((long)i * width), width);
            Normalized(text.AsSpan((int)((long)i * textDimensions), textDimensions), textScale, row[..textDimensions]);
            Normalized(cooccurrence.AsSpan((int)((long)i * cooccurrenceDimensions), cooccurrenceDimensions), cooccurrenceScale, row[textDimensions..]);
        }
        return result;
    }

    private static void Normalized(ReadOnlySpan<float> source, float scale, Span<float> destination)
    {
        var norm = MathF.Sqrt(TensorPrimitives.SumOfSquares(source));
        if (norm == 0) return;
        TensorPrimitives.Multiply(source, scale / norm, destination);
    }

    /// <summary>Symmetric windowed counts, each pair weighted by 1 / distance; an item next to itself does not count.</summary>
    internal static Dictionary<int, double>[] Counts(IReadOnlyList<int[]> histories, int items, int window)
    {
        var counts = new Dictionary<int, double>[items];
        for (var i = 0; i < items; i++) counts[i] = [];
        foreach (var history in histories)
            for (var p = 0; p < history.Length; p++)
                for (var q = p + 1; q < history.Length && q - p <= window; q++)
                {
                    var (a, b) = (history[p], history[q]);
                    if (a == b) continue;
                    var weight = 1.0 / (q - p);
                    counts[a][b] = counts[a].GetValueOrDefault(b) + weight;
                    counts[b][a] = counts[b].GetValueOrDefault(a) + weight;
                }
        return counts;
    }

    /// <summary>max(0, log(c_ij · total / (c_i · c_j))) as a sparse matrix with ascending columns per row.</summary>
    internal static SparseMatrix PositivePmi(Dictionary<int, double>[] counts, int items)
    {
        var rowSums = counts.Select(row => row.Values.Sum()).ToArray();
        var total = rowSums.Sum();
        var rows = new (int[] Columns, float[] Values)[items];
        for (var i = 0; i < items; i++)
        {
            var kept = counts[i]
                .Select(kv => (Column: kv.Key, Value: Math.Log(kv.Value * total / (rowSums[i] * rowSums[kv.Key]))))
                .Where(e => e.Value > 0)
                .OrderBy(e => e.Column)
                .ToArray();
            rows[i] = (kept.Select(e => e.Column).ToArray(), kept.Select(e => (float)e.Value).ToArray());
        }
        return SparseMatrix.FromRows(items, rows);
    }
}
