using Mender.Recommender.SemanticIds;
using Xunit;

namespace Mender.Recommender.Tests.SemanticIds;

public class SidTrieTests
{
    // Items 0..4 with 4-code SIDs.
    private static readonly int[] Codes =
    [
        3, 1, 4, 0,
        3, 1, 4, 1,
        3, 2, 0, 0,
        0, 9, 9, 0,
        3, 1, 5, 0,
    ];

    private static readonly SidTrie Trie = new(Codes, 5, 4);

    [Fact]
    public void AllowedNextCodesFollowThePrefixes()
    {
        Assert.Equal([0, 3], Trie.AllowedNext(SidTrie.Root).ToArray());
        Assert.Equal([1, 2], Trie.AllowedNext(Trie.Find([3])).ToArray());
        Assert.Equal([4, 5], Trie.AllowedNext(Trie.Find([3, 1])).ToArray());
        Assert.Equal([0, 1], Trie.AllowedNext(Trie.Find([3, 1, 4])).ToArray());
        Assert.True(Trie.AllowedNext(Trie.Find([3, 1, 4, 1])).IsEmpty);
    }

    [Fact]
    public void ChildAtFollowsTheAllowedCodesInOrder()
    {
        var node = Trie.Find([3]);
        var allowed = Trie.AllowedNext(node);
        for (var i = 0; i < allowed.Length; i++)
            Assert.Equal(Trie.Child(node, allowed[i]), Trie.ChildAt(node, i));
        var count = allowed.Length;
        Assert.Throws<ArgumentOutOfRangeException>(() => Trie.ChildAt(node, count));
    }

    [Fact]
    public void FullSidsLeadToTheirItems()
    {
        for (var item = 0; item < 5; item++)
        {
            Assert.True(Trie.TryGetItem(Codes.AsSpan(item * 4, 4), out var found));
            Assert.Equal(item, found);
            Assert.Equal(item, Trie.ItemAt(Trie.Find(Codes.AsSpan(item * 4, 4))));
        }
        Assert.False(Trie.TryGetItem([3, 1, 4, 2], out _));
        Assert.False(Trie.TryGetItem([3, 1, 4], out _));
        Assert.Equal(-1, Trie.ItemAt(Trie.Find([3, 1])));
    }

    [Fact]
    public void UnknownPrefixesAreRejected()
    {
        Assert.Equal(-1, Trie.Find([7]));
        Assert.Equal(-1, Trie.Find([3, 1, 4, 0, 0]));
        Assert.Equal(-1, Trie.Child(SidTrie.Root, 1));
        Assert.Equal(SidTrie.Root, Trie.Find([]));
    }

    [Fact]
    public void NodesKnowTheItemsBelowThem()
    {
        Assert.Equal([0, 1, 4], Trie.ItemsUnder(Trie.Find([3, 1])).ToArray());
        Assert.Equal([3, 0, 1, 4, 2], Trie.ItemsUnder(SidTrie.Root).ToArray());
        Assert.Equal(2, Trie.Depth(Trie.Find([3, 1])));
        Assert.Equal(1 + 2 + 3 + 4 + 5, Trie.NodeCount);
    }

    [Fact]
    public void DuplicateSidsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new SidTrie([1, 2, 1, 2], 2, 2));
    }

    [Fact]
    public void LookupsDoNotAllocate()
    {
        var random = new Random(2);
        var codes = Enumerable.Range(0, 2000 * 3).Select(_ => random.Next(16)).ToArray();
        var table = SidTable.FromLearnedCodes(Enumerable.Range(0, 2000).Select(i => i.ToString()).ToArray(), codes, [16, 16, 16]);
        var trie = table.Trie;
        var sid = new int[4];
        Walk(trie, table, sid);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var found = Walk(trie, table, sid);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2000, found);
    }

    private static int Walk(SidTrie trie, SidTable table, int[] sid)
    {
        var found = 0;
        for (var item = 0; item < table.Count; item++)
        {
            table[item].CopyTo(sid);
            var node = SidTrie.Root;
            foreach (var code in sid)
            {
                var index = trie.AllowedNext(node).IndexOf(code);
                if (index < 0) return -1;
                node = trie.ChildAt(node, index);
            }
            if (trie.TryGetItem(sid, out var hit) && hit == item) found++;
        }
        return found;
    }
}
