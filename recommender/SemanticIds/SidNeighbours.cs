namespace Mender.Recommender.SemanticIds;

/// <summary>An item near another by SID, and how many leading codes the two share.</summary>
public readonly record struct SidNeighbour(int Item, int SharedPrefix);

/// <summary>
/// The items closest to an item in SID space: first those sharing all but the last code (its collision group), then
/// those sharing one code fewer, and so on down to the first code; within one prefix length in SID order.
/// </summary>
public static class SidNeighbours
{
    /// <summary>Up to <paramref name="count"/> items whose SIDs share the longest prefixes with the item's.</summary>
    public static IReadOnlyList<SidNeighbour> Of(SidTable table, int item, int count)
    {
        var sid = table[item].ToArray();
        var trie = table.Trie;
        var result = new List<SidNeighbour>(count);
        var listed = new HashSet<int> { item };
        for (var shared = sid.Length - 1; shared >= 1 && result.Count < count; shared--)
            foreach (var other in trie.ItemsUnder(trie.Find(sid.AsSpan(0, shared))))
            {
                if (result.Count == count) break;
                if (listed.Add(other)) result.Add(new SidNeighbour(other, shared));
            }
        return result;
    }
}
