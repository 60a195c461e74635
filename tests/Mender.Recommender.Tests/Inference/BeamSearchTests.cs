using Mender.Numerics;
using Mender.Recommender.Inference;
using Mender.Recommender.SemanticIds;

namespace Mender.Recommender.Tests.Inference;

public class BeamSearchTests
{
    private static readonly int[] Sizes = [4, 3, 5, 2];

    /// <summary>A scorer whose log-probabilities are a fixed function of the prefix (a log-softmax of seeded logits).</summary>
    private sealed class HashedScorer(ulong seed, float[]? bias = null) : IStepScorer
    {
        public IReadOnlyList<int> CodebookSizes => Sizes;
        public int Calls { get; private set; }

        public void Score(ReadOnlySpan<int> prefixes, ReadOnlySpan<int> parents, int rows, int step, Span<float> logProbs)
        {
            Calls++;
            var width = Sizes[step];
            for (var r = 0; r < rows; r++)
                LogProbs(prefixes.Slice(r * step, step)).CopyTo(logProbs.Slice(r * width, width));
        }

        public float[] LogProbs(ReadOnlySpan<int> prefix)
        {
            var key = seed;
            foreach (var code in prefix) key = key * 31 + (ulong)code + 7;
            var rng = new Rng(key * 1_000_003 + (ulong)prefix.Length);
            var width = Sizes[prefix.Length];
            var logits = new float[width];
            for (var i = 0; i < width; i++) logits[i] = 3f * rng.NextFloat() + (bias is null ? 0 : bias[i % bias.Length]);
            var max = logits.Max();
            var sum = logits.Sum(l => MathF.Exp(l - max));
            return logits.Select(l => l - max - MathF.Log(sum)).ToArray();
        }

        public float Total(ReadOnlySpan<int> sid)
        {
            var total = 0f;
            for (var step = 0; step < sid.Length; step++) total += LogProbs(sid[..step])[sid[step]];
            return total;
        }
    }

    /// <summary>A sparse catalogue: a random subset of all code combinations.</summary>
    private static SidTable Catalogue(int items, ulong seed)
    {
        var rng = new Rng(seed);
        var all = new List<int[]>();
        for (var a = 0; a < Sizes[0]; a++)
            for (var b = 0; b < Sizes[1]; b++)
                for (var c = 0; c < Sizes[2]; c++)
                    for (var d = 0; d < Sizes[3]; d++)
                        all.Add([a, b, c, d]);
        var picked = all.ToArray();
        rng.Shuffle(picked.AsSpan());
        picked = picked[..items];
        var ids = Enumerable.Range(0, items).Select(i => $"item{i}").ToArray();
        return new SidTable(ids, picked.SelectMany(x => x).ToArray(), 4, Sizes);
    }

    [Fact]
    public void FullBeamFindsTheExactTopKOfBruteForce()
    {
        var sids = Catalogue(50, 1);
        var scorer = new HashedScorer(9);
        var search = new BeamSearch(sids.Trie, beam: 50);
        var found = search.Search(scorer, queries: 1, k: 10)[0];
        var expected = Enumerable.Range(0, sids.Count)
            .Select(i => (Item: i, Score: scorer.Total(sids[i])))
            .OrderByDescending(x => x.Score).Take(10).ToArray();
        Assert.Equal(expected.Select(x => x.Item), found.Select(r => r.Item));
        for (var i = 0; i < 10; i++) Assert.Equal(expected[i].Score, found[i].Score, 4);
    }

    [Fact]
    public void NarrowBeamReturnsOnlyRealItemsWithTheirTrueScores()
    {
        var sids = Catalogue(40, 2);
        // Most of the mass sits on code 4 at the third position, which few items use: the trie must still be obeyed.
        var scorer = new HashedScorer(5, bias: [0, 0, 0, 0, 8]);
        var search = new BeamSearch(sids.Trie, beam: 5);
        var found = search.Search(scorer, queries: 3, k: 5);
        foreach (var list in found)
        {
            Assert.Equal(5, list.Length);
            Assert.Equal(5, list.Select(r => r.Item).Distinct().Count());
            foreach (var r in list)
            {
                Assert.InRange(r.Item, 0, sids.Count - 1);
                Assert.Equal(scorer.Total(sids[r.Item]), r.Score, 4);
            }
            for (var i = 1; i < list.Length; i++) Assert.True(list[i - 1].Score >= list[i].Score);
        }
    }

    [Fact]
    public void EveryQueryOfABatchGetsTheSameAnswerAsAlone()
    {
        var sids = Catalogue(60, 3);
        var scorer = new HashedScorer(11);
        var alone = new BeamSearch(sids.Trie, 8).Search(scorer, 1, 8)[0];
        var batched = new BeamSearch(sids.Trie, 8).Search(scorer, 4, 8);
        foreach (var list in batched) Assert.Equal(alone, list);
    }

    [Fact]
    public void SmallCatalogueYieldsFewerThanK()
    {
        var sids = Catalogue(3, 4);
        var found = new BeamSearch(sids.Trie, 10).Search(new HashedScorer(1), 2, 10);
        Assert.All(found, list => Assert.Equal(new[] { 0, 1, 2 }, list.Select(r => r.Item).Order()));
    }

    [Fact]
    public void SamplingReturnsDistinctRealItemsAndVariesWithTheSeed()
    {
        var sids = Catalogue(80, 5);
        var scorer = new HashedScorer(3);
        var search = new BeamSearch(sids.Trie, 10);
        var a = search.Search(scorer, 1, 10, temperature: 2f, rng: new Rng(1))[0];
        var b = search.Search(scorer, 1, 10, temperature: 2f, rng: new Rng(2))[0];
        foreach (var list in new[] { a, b })
        {
            Assert.Equal(10, list.Select(r => r.Item).Distinct().Count());
            foreach (var r in list) Assert.Equal(scorer.Total(sids[r.Item]), r.Score, 4);
        }
        Assert.NotEqual(a.Select(r => r.Item).ToArray(), b.Select(r => r.Item).ToArray());
    }
}
