using System.Numerics.Tensors;
using Mender.Preference.Matching;
using Mender.Preference.Sentiment;
using Mender.Recommender.Embeddings;

namespace Mender.Preference.Tests;

/// <summary>
/// The lexical embedder cannot tell "likes X" from "avoids X" (that is why sentiment following scored 0); the polar
/// encoding must point them opposite ways while leaving positive preferences as the embedder reads them.
/// </summary>
public class PolarEmbedderTests
{
    private static readonly LexicalEmbeddingGenerator Lexical = LexicalEmbeddingGenerator.Fit(
    [
        "Rose Glitter Body Oil", "Lavender Bath Bomb", "Fragrance-Free Hand Cream", "Citrus Body Scrub with Charcoal",
        "Rose Scented Body Lotion", "Glitter Nail Polish", "Lavender Sleep Spray", "Unscented Face Cream",
    ], new LexicalEmbedderOptions { Dimensions = 6 });

    private static float Cosine(float[] a, float[] b) => TensorPrimitives.CosineSimilarity(a, b);

    [Fact]
    public void TheLexicalEmbedderAloneCannotTellTheTwoPolaritiesApart() =>
        Assert.True(Cosine(Lexical.Embed("likes rose scents"), Lexical.Embed("avoids rose scents")) > 0.9f);

    [Fact]
    public async Task ANegativePreferencePointsAwayFromWhatItNames()
    {
        var polar = new PolarPreferenceEmbedder(Lexical);
        var vectors = await polar.GenerateAsync(["likes rose scents", "avoids rose scents", "rose scents"]);
        var (likes, avoids, plain) = (vectors[0].Vector.ToArray(), vectors[1].Vector.ToArray(), vectors[2].Vector.ToArray());

        Assert.Equal(Lexical.Embed("likes rose scents"), likes);
        Assert.Equal(-1f, Cosine(avoids, plain), 4);
        Assert.True(Cosine(likes, avoids) < -0.9f);
    }

    [Fact]
    public async Task SeveralPreferencesAreTheNormalisedSumOfTheirSignedVectors()
    {
        var polar = new PolarPreferenceEmbedder(Lexical);
        var group = new[] { new UserPreference("likes lavender", PreferenceSentiment.Positive), new UserPreference("avoids glitter", PreferenceSentiment.Negative) };
        var vectors = await polar.EmbedAsync([group, []]);

        var expected = new float[Lexical.Dimensions];
        TensorPrimitives.Subtract(Lexical.Embed("likes lavender"), Lexical.Embed("glitter"), expected);
        TensorPrimitives.Divide(expected, TensorPrimitives.Norm(expected), expected);
        Assert.Equal(1f, Cosine(expected, vectors[0]), 4);
        Assert.Equal(1f, TensorPrimitives.Norm(vectors[0]), 4);
        Assert.All(vectors[1], v => Assert.Equal(0f, v));
    }
}
