namespace Mender.Recommender.SemanticIds;

/// <summary>
/// A prefix trie over the semantic IDs, laid out breadth-first in flat arrays for constrained decoding: the children of
/// a node are consecutive node ids, so the codes allowed after a prefix are one span of a single array (ascending), and
/// moving to a child is a binary search in that span. Lookups allocate nothing. Every leaf sits at depth
/// <see cref="Length"/> and holds one item; every node also knows the items below it, in SID order.
/// </summary>
public sealed class SidTrie
{
    /// <summary>The node of the empty prefix.</summary>
    public const int Root = 0;

    private readonly int[] edgeCode;
    private readonly int[] firstChild;
    private readonly int[] childCount;
    private readonly int[] depth;
    private readonly int[] itemStart;
    private readonly int[] itemEnd;
    private readonly int[] sortedItems;

    /// <summary>Builds the trie of <paramref name="items"/> SIDs of <paramref name="length"/> codes each (row-major).</summary>
    public SidTrie(int[] codes, int items, int length)
    {
        if (length < 1 || codes.Length != (long)items * length) throw new ArgumentException("codes must be items × length");
        Length = length;
        sortedItems = CollisionCodes.PrefixOrder(codes, items, length);
        for (var r = 1; r < items; r++)
            if (CollisionCodes.SamePrefix(codes, length, sortedItems[r - 1], sortedItems[r]))
                throw new ArgumentException($"items {sortedItems[r - 1]} and {sortedItems[r]} have the same semantic ID");

        var edgeCode = new List<int> { -1 };
        var firstChild = new List<int> { 0 };
        var childCount = new List<int> { 0 };
        var depth = new List<int> { 0 };
        var itemStart = new List<int> { 0 };
        var itemEnd = new List<int> { items };
        for (var node = 0; node < depth.Count; node++)
        {
            firstChild[node] = depth.Count;
            if (depth[node] == length) continue;
            var position = depth[node];
            var start = itemStart[node];
            while (start < itemEnd[node])
            {
                var code = codes[sortedItems[start] * length + position];
                var end = start + 1;
                while (end < itemEnd[node] && codes[sortedItems[end] * length + position] == code) end++;
                edgeCode.Add(code);
                firstChild.Add(0);
                childCount.Add(0);
                depth.Add(position + 1);
                itemStart.Add(start);
                itemEnd.Add(end);
                childCount[node]++;
                start = end;
            }
        }
        this.edgeCode = edgeCode.ToArray();
        this.firstChild = firstChild.ToArray();
        this.childCount = childCount.ToArray();
        this.depth = depth.ToArray();
        this.itemStart = itemStart.ToArray();
        this.itemEnd = itemEnd.ToArray();
    }

    /// <summary>Codes per SID; leaves are at this depth.</summary>
    public int Length { get; }

    /// <summary>The number of nodes, the root included.</summary>
    public int NodeCount => this.edgeCode.Length;

    /// <summary>The length of the prefix ending at a node; 0 at the root.</summary>
    public int Depth(int node) => this.depth[node];

    /// <summary>The codes that may follow the prefix ending at <paramref name="node"/>, ascending (empty at a leaf).</summary>
    public ReadOnlySpan<int> AllowedNext(int node) => this.edgeCode.AsSpan(this.firstChild[node], this.childCount[node]);

    /// <summary>The child reached by <paramref name="code"/>, or -1 when no SID continues the prefix that way.</summary>
    public int Child(int node, int code)
    {
        var index = AllowedNext(node).BinarySearch(code);
        return index < 0 ? -1 : this.firstChild[node] + index;
    }

    /// <summary>
    /// The child for the code at <paramref name="index"/> of <see cref="AllowedNext"/>: what a decoder iterating over
    /// the allowed codes uses, with no search.
    /// </summary>
    public int ChildAt(int node, int index)
    {
        if ((uint)index >= (uint)this.childCount[node]) throw new ArgumentOutOfRangeException(nameof(index));
        return this.firstChild[node] + index;
    }

    /// <summary>The node of a prefix (the root for an empty one), or -1 when no SID starts with it.</summary>
    public int Find(ReadOnlySpan<int> prefix)
    {
        var node = Root;
        foreach (var code in prefix)
        {
            if (node < 0 || this.depth[node] == Length) return -1;
            node = Child(node, code);
        }
        return node;
    }

    /// <summary>The item whose full SID ends at <paramref name="node"/>, or -1 for an inner node.</summary>
    public int ItemAt(int node) => this.depth[node] == Length ? sortedItems[this.itemStart[node]] : -1;

    /// <summary>Finds the item with exactly this SID; false when no item has it.</summary>
    public bool TryGetItem(ReadOnlySpan<int> sid, out int item)
    {
        item = -1;
        if (sid.Length != Length) return false;
        var node = Find(sid);
        if (node < 0) return false;
        item = ItemAt(node);
        return true;
    }

    /// <summary>The items whose SIDs start with the prefix of <paramref name="node"/>, in SID order.</summary>
    public ReadOnlySpan<int> ItemsUnder(int node) => sortedItems.AsSpan(this.itemStart[node], this.itemEnd[node] - this.itemStart[node]);
}
