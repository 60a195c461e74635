namespace Mender.Recommender.SemanticIds;

/// <summary>
/// Items whose learned codes coincide would share a semantic ID; an extra last code tells them apart. It numbers the
/// items of each prefix group 0, 1, 2, ... in dense-id order, so a lone item gets 0 and the code's range is the size
/// of the largest group.
/// </summary>
public static class CollisionCodes
{
    /// <summary>The collision code of each item, given its learned codes (items × levels, row-major).</summary>
    public static int[] Assign(int[] codes, int items, int levels)
    {
        if (levels < 1 || codes.Length != (long)items * levels) throw new ArgumentException("codes must be items × levels");
        var order = PrefixOrder(codes, items, levels);
        var extra = new int[items];
        for (var r = 1; r < order.Length; r++)
            if (SamePrefix(codes, levels, order[r - 1], order[r]))
                extra[order[r]] = extra[order[r - 1]] + 1;
        return extra;
    }

    /// <summary>Item ids sorted by their codes, then by id.</summary>
    internal static int[] PrefixOrder(int[] codes, int items, int levels)
    {
        var order = Enumerable.Range(0, items).ToArray();
        Array.Sort(order, (a, b) =>
        {
            for (var l = 0; l < levels; l++)
            {
                var compare = codes[a * levels + l].CompareTo(codes[b * levels + l]);
                if (compare != 0) return compare;
            }
            return a.CompareTo(b);
        });
        return order;
    }

    internal static bool SamePrefix(int[] codes, int levels, int a, int b) =>
        codes.AsSpan(a * levels, levels).SequenceEqual(codes.AsSpan(b * levels, levels));
}
