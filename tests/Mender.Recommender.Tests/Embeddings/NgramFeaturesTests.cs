using Mender.Recommender.Embeddings;
using Xunit;

namespace Mender.Recommender.Tests.Embeddings;

public class NgramFeaturesTests
{
    [Fact]
    public void CountsUnigramsBigramsAndPaddedCharacterGrams()
    {
        var words = new List<ulong>();
        var chars = new List<ulong>();
        NgramFeatures.Extract("Red, nail!", 3, 5, words, chars);
        // 2 unigrams + 1 bigram; " red " gives 3 + 2 + 1 grams, " nail " gives 4 + 3 + 2.
        Assert.Equal(3, words.Count);
        Assert.Equal(6 + 9, chars.Count);
    }

    [Fact]
    public void IgnoresCaseAndPunctuation()
    {
        var (w1, c1) = Extract("Red NAIL polish");
        var (w2, c2) = Extract("red -- nail, polish.");
        Assert.Equal(w1, w2);
        Assert.Equal(c1, c2);
    }

    [Fact]
    public void WordOrderChangesBigramsOnly()
    {
        var (w1, c1) = Extract("red nail");
        var (w2, c2) = Extract("nail red");
        Assert.Equal(c1.Order(), c2.Order());
        Assert.Equal(2, w1.Intersect(w2).Count());
    }

    private static (List<ulong> Words, List<ulong> Chars) Extract(string text)
    {
        var words = new List<ulong>();
        var chars = new List<ulong>();
        NgramFeatures.Extract(text, 3, 5, words, chars);
        return (words, chars);
    }
}
