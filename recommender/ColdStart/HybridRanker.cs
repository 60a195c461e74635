using System.Numerics.Tensors;

namespace Mender.Recommender.ColdStart;

/// <summary>
/// LIGER-style mixing of generated and cold-start items. The model's beams say what comes next but cannot name an item
/// it has no SID for; the text embeddings can. A query vector stands for what the user is after: the preference's
/// embedding plus the generated items' embeddings weighted by the model's probabilities. Every candidate is scored on
/// one scale, <c>(1 − w)·cos(query, item) + w·confidence</c>, where the confidence of a generated item is its probability
/// relative to the best beam and that of a cold-start item is 0: so a cold-start item outranks a generated one only
/// when its text is clearly closer to the query than the model is sure of the generated item.
/// </summary>
public static class HybridRanker
{
    /// <summary>The weight of the model's confidence against text similarity.</summary>
    public const float ModelWeight = 0.5f;

    /// <param name="generated">The model's candidates (dense item ids) with their log-probabilities, best first.</param>
    /// <param name="itemEmbedding">A generated item's unit-length text embedding.</param>
    /// <param name="preference">The preference's embedding, or null/empty when there is none.</param>
    /// <param name="catalog">The cold-start items.</param>
    /// <param name="k">How many to return.</param>
    /// <param name="skipColdStart">Cold-start items to leave out (e.g. those in the history).</param>
    public static IReadOnlyList<HybridCandidate> Rank(IReadOnlyList<(int Item, float LogProbability)> generated,
        Func<int, ReadOnlyMemory<float>> itemEmbedding, ReadOnlySpan<float> preference, ColdStartCatalog catalog, int k,
        Func<int, bool>? skipColdStart = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var d = catalog.Dimensions;
        var probabilities = Probabilities(generated);
        var vectors = generated.Select(g => itemEmbedding(g.Item)).ToArray();
        var query = new float[d];
        if (preference.Length == d) TensorPrimitives.Add(query, preference, query);
        for (var i = 0; i < generated.Count; i++)
        {
            if (vectors[i].Length != d) throw new ArgumentException($"item embeddings have {vectors[i].Length} values, the cold-start catalogue {d}");
            TensorPrimitives.MultiplyAdd(vectors[i].Span, probabilities[i], query, query);
        }
        var norm = TensorPrimitives.Norm(query);
        if (norm > 0) TensorPrimitives.Divide(query, norm, query);

        var best = probabilities.Length > 0 ? probabilities.Max() : 0f;
        var scored = new List<HybridCandidate>(generated.Count + k);
        for (var i = 0; i < generated.Count; i++)
        {
            var similarity = norm > 0 ? TensorPrimitives.Dot(query, vectors[i].Span) : 0f;
            var confidence = best > 0 ? probabilities[i] / best : 0f;
            scored.Add(new HybridCandidate(generated[i].Item, -1, (1 - ModelWeight) * similarity + ModelWeight * confidence, similarity));
        }
        if (norm > 0)
            foreach (var (index, similarity) in catalog.Nearest(query, k, skipColdStart))
                scored.Add(new HybridCandidate(-1, index, (1 - ModelWeight) * similarity, similarity));
        // Ties keep the model's order, then cold-start items by similarity.
        return scored.Select((c, order) => (c, order)).OrderByDescending(p => p.c.Score).ThenBy(p => p.order)
            .Take(k).Select(p => p.c).ToList();
    }

    /// <summary>The beams' log-probabilities turned into probabilities that sum to 1 over the candidates.</summary>
    private static float[] Probabilities(IReadOnlyList<(int Item, float LogProbability)> generated)
    {
        if (generated.Count == 0) return [];
        var values = generated.Select(g => g.LogProbability).ToArray();
        var max = values.Max();
        var sum = 0f;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = MathF.Exp(values[i] - max);
            sum += values[i];
        }
        for (var i = 0; i < values.Length; i++) values[i] /= sum;
        return values;
    }
}
