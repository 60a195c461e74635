using Mender.Recommender.Embeddings;

namespace Mender.Recommender.Tests.Embeddings;

public sealed class CooccurrenceEmbeddingTests
{
    [Fact]
    public void CountsAreSymmetricWeightedByDistanceAndWindowed()
    {
        var counts = CooccurrenceEmbedding.Counts([[0, 1, 2, 3], [1, 0, 0]], items: 4, window: 2);
        Assert.Equal(1 + 1 + 0.5, counts[0][1], 12);
        Assert.Equal(counts[0][1], counts[1][0], 12);
        Assert.Equal(0.5, counts[0][2], 12);
        Assert.False(counts[0].ContainsKey(3));
        Assert.False(counts[0].ContainsKey(0));
        Assert.Equal(1 + 0.5, counts[1][2] + counts[1][3], 12);
    }

    [Fact]
    public void PositivePmiMatchesADoublePrecisionReference()
    {
        var histories = new[] { new[] { 0, 1, 2, 0, 1 }, [2, 3, 2, 4], [4, 0, 3, 1] };
        var counts = CooccurrenceEmbedding.Counts(histories, items: 5, window: 2);
        var ppmi = CooccurrenceEmbedding.PositivePmi(counts, 5);
        var rowSums = counts.Select(r => r.Values.Sum()).ToArray();
        var total = rowSums.Sum();
        for (var i = 0; i < 5; i++)
        {
            var columns = ppmi.RowColumns(i).ToArray();
            var values = ppmi.RowValues(i).ToArray();
            Assert.Equal(columns.Order(), columns);
            for (var j = 0; j < 5; j++)
            {
                var expected = counts[i].TryGetValue(j, out var c) ? Math.Max(0, Math.Log(c * total / (rowSums[i] * rowSums[j]))) : 0;
                var at = Array.IndexOf(columns, j);
                Assert.Equal(expected, at < 0 ? 0 : values[at], 5);
            }
        }
    }

    [Fact]
    public void ItemsBoughtTogetherEndUpCloserThanItemsNeverSeenTogether()
    {
        var random = new Random(5);
        var histories = new List<int[]>();
        for (var u = 0; u < 200; u++)
        {
            var group = u % 2;
            histories.Add(Enumerable.Range(0, 6).Select(_ => group * 10 + random.Next(10)).ToArray());
        }
        var embedding = CooccurrenceEmbedding.Compute(histories, items: 21, new CooccurrenceOptions { Weight = 1, Dimensions = 4 }, seed: 1);
        double Cosine(int a, int b)
        {
            var x = embedding.AsSpan(a * 4, 4);
            var y = embedding.AsSpan(b * 4, 4);
            return System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(x, y);
        }
        var within = new List<double>();
        var across = new List<double>();
        for (var a = 0; a < 20; a++)
            for (var b = a + 1; b < 20; b++)
                (a / 10 == b / 10 ? within : across).Add(Cosine(a, b));
        Assert.True(within.Min() > across.Max(), $"within {within.Min():F3}, across {across.Max():F3}");
        Assert.All(embedding.AsSpan(20 * 4, 4).ToArray(), v => Assert.Equal(0f, v));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(40)]
    public void CataloguesSmallerThanTheWidthStillGetFiniteEmbeddings(int items)
    {
        var random = new Random(items);
        var histories = Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, 4).Select(_ => random.Next(items)).ToArray()).ToArray();
        var embedding = CooccurrenceEmbedding.Compute(histories, items, new CooccurrenceOptions { Weight = 0.5 }, seed: 3);
        Assert.Equal(items * 64, embedding.Length);
        Assert.All(embedding, v => Assert.True(float.IsFinite(v)));
        Assert.Contains(embedding, v => v != 0);
    }

    [Fact]
    public void BlendGivesEachSideItsShareOfTheNorm()
    {
        float[] text = [3, 4, 0, 2];
        float[] cooccurrence = [0, 0, 0, 1, 1, 1];
        var blended = CooccurrenceEmbedding.Blend(text, 2, cooccurrence, 3, items: 2, weight: 0.36);
        Assert.Equal([0.8f * 0.6f, 0.8f * 0.8f, 0, 0, 0], blended[..5], (a, b) => MathF.Abs(a - b) < 1e-6f);
        var second = blended.AsSpan(5, 5).ToArray();
        Assert.Equal(0.64, second[0] * second[0] + second[1] * second[1], 5);
        Assert.Equal(0.36, second[2] * second[2] + second[3] * second[3] + second[4] * second[4], 5);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void RejectsAWeightOutsideZeroToOne(double weight) =>
        Assert.Contains("not in [0, 1]", Assert.Throws<ArgumentException>(() => new CooccurrenceOptions { Weight = weight }.Validate()).Message);
}
