using Mender.Preference.Sentiment;

namespace Mender.Preference.Tests;

public class SentimentTests
{
    [Theory]
    [InlineData("avoids glitter", "glitter")]
    [InlineData("Avoids products that leave a greasy film.", "products that leave a greasy film")]
    [InlineData("does not like strong floral scents", "strong floral scents")]
    [InlineData("doesn't want alcohol in toners", "alcohol in toners")]
    [InlineData("dislikes sticky lip glosses", "sticky lip glosses")]
    [InlineData("wants to avoid parabens", "parabens")]
    [InlineData("The user stays away from heavy creams", "heavy creams")]
    [InlineData("is not a fan of shimmer", "shimmer")]
    [InlineData("is sensitive to fragrance", "fragrance")]
    [InlineData("prefers fragrance-free products", "prefers fragrance-free products")]
    [InlineData("likes products without alcohol", "likes products without alcohol")]
    public void NegativePreferencesLoseTheirAvoidingVerb(string text, string expected) =>
        Assert.Equal(expected, PositiveForm.Rewrite(text));

    [Fact]
    public void OnlyNegativePreferencesAreRewritten()
    {
        Assert.Equal("glitter", PositiveForm.For(new UserPreference("avoids glitter", PreferenceSentiment.Negative)));
        Assert.Equal("avoids glitter", PositiveForm.For(new UserPreference("avoids glitter", PreferenceSentiment.Positive)));
    }

    [Theory]
    [InlineData("avoids glitter", PreferenceSentiment.Negative)]
    [InlineData("Dislikes heavy perfumes", PreferenceSentiment.Negative)]
    [InlineData("does not want products with alcohol", PreferenceSentiment.Negative)]
    [InlineData("stays away from sulfates", PreferenceSentiment.Negative)]
    [InlineData("likes lavender scents", PreferenceSentiment.Positive)]
    [InlineData("prefers fragrance-free products", PreferenceSentiment.Positive)]
    [InlineData("wants products without parabens", PreferenceSentiment.Positive)]
    [InlineData("Loves rich, creamy body butters", PreferenceSentiment.Positive)]
    [InlineData("greasy formulas are a deal breaker", PreferenceSentiment.Negative)]
    [InlineData("gentle cleansers", PreferenceSentiment.Positive)]
    public void LexiconClassifiesPreferenceSentences(string text, PreferenceSentiment expected) =>
        Assert.Equal(expected, LexiconSentimentClassifier.Classify(text));

    [Theory]
    [InlineData("avoids glitter", PreferenceSentiment.Negative, "likes glitter")]
    [InlineData("does not like strong floral scents", PreferenceSentiment.Negative, "likes strong floral scents")]
    [InlineData("likes lavender scents", PreferenceSentiment.Positive, "avoids lavender scents")]
    [InlineData("The user prefers fragrance-free products.", PreferenceSentiment.Positive, "avoids fragrance-free products")]
    [InlineData("gentle cleansers", PreferenceSentiment.Positive, "avoids gentle cleansers")]
    public void OppositeFormTurnsTheLeadingVerb(string text, PreferenceSentiment sentiment, string expected)
    {
        var opposite = OppositeForm.For(new UserPreference(text, sentiment));
        Assert.Equal(expected, opposite);
        Assert.NotEqual(sentiment, LexiconSentimentClassifier.Classify(opposite!));
    }

    [Fact]
    public void ANegativeWithoutAStatablePositiveFormHasNoOpposite()
    {
        Assert.Null(OppositeForm.For(new UserPreference("greasy formulas are a deal breaker", PreferenceSentiment.Negative)));
        Assert.Null(OppositeForm.For(new UserPreference("likes", PreferenceSentiment.Positive)));
    }
}
