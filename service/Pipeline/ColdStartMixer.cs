using Mender.Data;
using Mender.Preference.Conversation;
using Mender.Recommender.ColdStart;

namespace Mender.Service.Pipeline;

/// <summary>
/// The last ranking: the model's candidates mixed with the cold-start items (LIGER-style, see <see cref="HybridRanker"/>)
/// when there are any, and the candidates that name what the preference avoids moved to the end.
/// </summary>
internal sealed class ColdStartMixer(Dataset dataset, Func<int, ReadOnlyMemory<float>> itemEmbedding)
{
    /// <param name="generated">The model's candidates, best first.</param>
    /// <param name="catalog">The cold-start items, or null.</param>
    /// <param name="preference">
    /// The preference's polar vector, the very one the model read (or, for a model that reads none, the same encoding
    /// of the same text), so that "avoids X" pushes cold-start X items down, not up; empty without a preference.
    /// </param>
    /// <param name="avoided">What the preference avoids.</param>
    /// <param name="k">How many to keep.</param>
    /// <param name="excluded">External ids to leave out.</param>
    /// <param name="moved">How many candidates were moved to the end for naming what is avoided.</param>
    public List<HybridCandidate> Mix(List<(int Item, float Score)> generated, ColdStartCatalog? catalog, ReadOnlySpan<float> preference,
        AvoidedTopics avoided, int k, IReadOnlySet<string> excluded, out int moved)
    {
        if (catalog is not { Count: > 0 })
            return avoided.RankLast(generated.Select(g => new HybridCandidate(g.Item, -1, g.Score, 0f)), c => ItemNaming.Of(dataset.Items[c.Item]), out moved)
                .Take(k).ToList();
        // Ranked in full when something is avoided, so that what names it can go last without leaving the list short.
        var depth = avoided.IsEmpty ? k : k + generated.Count;
        var ranked = HybridRanker.Rank(generated, itemEmbedding, preference, catalog, depth, i => excluded.Contains(catalog.Items[i].ItemId));
        return avoided.RankLast(ranked, c => ItemNaming.Of(c.IsColdStart ? catalog.Items[c.ColdStartIndex].ToItem() : dataset.Items[c.Item]), out moved)
            .Take(k).ToList();
    }
}
