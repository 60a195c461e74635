using Mender.Data;
using Mender.Recommender.ColdStart;
using Mender.Recommender.SemanticIds;

namespace Mender.Service.Pipeline;

/// <summary>The last stage: ranked candidates become the items of the answer, each with the one-line reason it suits.</summary>
internal sealed class RecommendationExplainer(Dataset dataset, SidTable sids)
{
    public List<RecommendedItem> Explain(IReadOnlyList<HybridCandidate> ranked, ColdStartCatalog? catalog, string? preference, IReadOnlyList<HistoryEntry> history)
    {
        var items = history.Select(e => e.Item).ToList();
        return ranked.Select(c => c.IsColdStart ? ColdStart(catalog!.Items[c.ColdStartIndex], c.Score, preference, items) : Catalogued(c.Item, c.Score, preference, items))
            .ToList();
    }

    private RecommendedItem Catalogued(int item, float score, string? preference, IReadOnlyList<Item> history)
    {
        var entry = dataset.Items[item];
        return new RecommendedItem(entry.ExternalId, entry.Title, sids[item].ToArray(), score, ReasonWriter.Write(entry, preference, history, false), false);
    }

    private static RecommendedItem ColdStart(ColdStartItem item, float score, string? preference, IReadOnlyList<Item> history) =>
        new(item.ItemId, item.Title, [], score, ReasonWriter.Write(item.ToItem(), preference, history, true), true);
}
