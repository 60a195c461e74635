using Mender.Recommender.Embeddings;
using Microsoft.Extensions.AI;
using Xunit;

namespace Mender.Recommender.Tests.Embeddings;

public class LexicalEmbeddingGeneratorTests
{
    private static readonly LexicalEmbedderOptions Small = new() { Dimensions = 16, Seed = 7 };

    [Fact]
    public async Task SameCorpusAndSeedGiveIdenticalEmbeddings()
    {
        var (texts, _) = Corpus.Make(20, seed: 1);
        var a = await LexicalEmbeddingGenerator.Fit(texts, Small).GenerateAsync(texts);
        var b = await LexicalEmbeddingGenerator.Fit(texts, Small).GenerateAsync(texts);
        for (var i = 0; i < texts.Length; i++)
            Assert.Equal(a[i].Vector.ToArray(), b[i].Vector.ToArray());
    }

    [Fact]
    public async Task EmbeddingsAreUnitLengthAndNamed()
    {
        var (texts, _) = Corpus.Make(10, seed: 2);
        using var generator = LexicalEmbeddingGenerator.Fit(texts, Small);
        Assert.Equal("lexical-tfidf-svd-d16", generator.Name);
        Assert.Equal("lexical-tfidf-svd-d16", generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);
        var embeddings = await generator.GenerateAsync(texts);
        foreach (var embedding in embeddings)
        {
            Assert.Equal(16, embedding.Dimensions);
            Assert.Equal("lexical-tfidf-svd-d16", embedding.ModelId);
            Assert.Equal(1.0, Math.Sqrt(embedding.Vector.ToArray().Sum(x => x * (double)x)), 1e-5);
        }
    }

    [Fact]
    public async Task TextsOfOneFamilyAreCloserThanTextsOfAnother()
    {
        var (texts, family) = Corpus.Make(25, seed: 3);
        using var generator = LexicalEmbeddingGenerator.Fit(texts, Small);
        var vectors = (await generator.GenerateAsync(texts)).Select(e => e.Vector.ToArray()).ToArray();
        double same = 0, other = 0;
        int sameCount = 0, otherCount = 0;
        for (var i = 0; i < texts.Length; i++)
            for (var j = i + 1; j < texts.Length; j++)
            {
                var cosine = vectors[i].Zip(vectors[j], (x, y) => x * (double)y).Sum();
                if (family[i] == family[j]) { same += cosine; sameCount++; }
                else { other += cosine; otherCount++; }
            }
        Assert.True(same / sameCount > other / otherCount + 0.3,
            $"mean cosine within families {same / sameCount:F3}, across {other / otherCount:F3}");
    }

    [Fact]
    public void TextsWithNoKnownFeatureEmbedToZero()
    {
        var (texts, _) = Corpus.Make(10, seed: 4);
        using var generator = LexicalEmbeddingGenerator.Fit(texts, Small);
        Assert.All(generator.Embed("zzqx"), x => Assert.Equal(0f, x));
    }

    [Fact]
    public void FingerprintChangesWithCorpusAndOptions()
    {
        var (texts, _) = Corpus.Make(5, seed: 5);
        var baseline = LexicalEmbeddingGenerator.FingerprintOf(texts, Small);
        Assert.Equal(baseline, LexicalEmbeddingGenerator.FingerprintOf(texts.ToArray(), Small));
        Assert.NotEqual(baseline, LexicalEmbeddingGenerator.FingerprintOf(texts, Small with { Seed = 8 }));
        Assert.NotEqual(baseline, LexicalEmbeddingGenerator.FingerprintOf(texts.Append("more").ToArray(), Small));
    }
}
