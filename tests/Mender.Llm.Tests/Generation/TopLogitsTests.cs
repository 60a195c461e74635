using LLama.Native;
using Mender.Llm.Generation;

namespace Mender.Llm.Tests.Generation;

public sealed class TopLogitsTests
{
    [Theory]
    [InlineData(1000, 1, 0)]
    [InlineData(1000, 32, 1)]
    [InlineData(1000, 999, 2)]
    [InlineData(5000, 1024, 3)]
    public void SelectsWhatASortSelects(int vocabulary, int k, int seed)
    {
        var random = new Random(seed);
        // Few distinct values, so that ties cross the boundary.
        var logits = Enumerable.Range(0, vocabulary).Select(_ => (float)random.Next(-40, 40) / 4).ToArray();
        var into = new LLamaTokenData[vocabulary];

        var count = TopLogits.Select(logits, k, new float[vocabulary], into);

        var expected = Enumerable.Range(0, vocabulary).OrderByDescending(i => (double)logits[i]).ThenBy(i => i).Take(k).Order();
        Assert.Equal(k, count);
        Assert.Equal(expected, into.Take(count).Select(t => (int)t.ID).Order());
        Assert.All(into.Take(count), t => Assert.Equal(logits[(int)t.ID], t.Logit));
    }
}
