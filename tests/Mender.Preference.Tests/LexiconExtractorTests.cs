using Mender.Preference.Lexicon;
using Mender.Preference.Sentiment;

namespace Mender.Preference.Tests;

public class LexiconExtractorTests
{
    private static List<(string Text, PreferenceSentiment Sentiment)> Extract(string review, float rating = 5)
    {
        var result = new LexiconPreferenceExtractor().Extract(Fixtures.Window(review, rating));
        return result.Preferences.Select(p => (p.Text, p.Sentiment)).ToList();
    }

    private const PreferenceSentiment Positive = PreferenceSentiment.Positive;
    private const PreferenceSentiment Negative = PreferenceSentiment.Negative;

    [Theory]
    [InlineData("This lotion is way too greasy.", 2, "avoids greasy textures", Negative)]
    [InlineData("Not moisturizing enough for winter.", 3, "likes deeply moisturizing products", Positive)]
    [InlineData("I love the lavender in this one.", 5, "likes lavender scents", Positive)]
    [InlineData("It is fragrance-free, which I need.", 5, "prefers fragrance-free products", Positive)]
    [InlineData("Great that it has no fragrance at all.", 5, "prefers fragrance-free products", Positive)]
    [InlineData("Too much glitter, it got everywhere.", 2, "avoids glitter", Negative)]
    [InlineData("Nice lotion and it is not greasy at all.", 5, "prefers non-greasy textures", Positive)]
    [InlineData("The scent isn't too overwhelming.", 4, "prefers light, subtle scents", Positive)]
    [InlineData("The matte finish is gorgeous.", 5, "likes matte finishes", Positive)]
    [InlineData("Unfortunately the scent fades within an hour.", 3, "wants long-lasting scents", Positive)]
    [InlineData("Made for my sensitive skin.", 4, "wants products suited to sensitive skin", Positive)]
    [InlineData("Fragrance-free is just not for me.", 3, "avoids fragrance-free products", Negative)]
    [InlineData("I wish it had a vanilla scent.", 3, "likes vanilla scents", Positive)]
    [InlineData("It broke me out badly.", 1, "avoids products that cause breakouts", Negative)]
    public void ReadsPatternsAndSentiment(string review, float rating, string expected, PreferenceSentiment sentiment)
    {
        var preferences = Extract(review, rating);
        Assert.Contains((expected, sentiment), preferences);
    }

    [Fact]
    public void AContrastWordSeparatesTwoOpinions()
    {
        var preferences = Extract("I love the citrus scent but the texture is too sticky.", 4);
        Assert.Contains(("likes citrus scents", Positive), preferences);
        Assert.Contains(("avoids sticky formulas", Negative), preferences);
    }

    [Fact]
    public void NeutralQualitiesFollowTheRating()
    {
        Assert.Contains(("likes floral scents", Positive), Extract("It has a floral scent.", 5));
        Assert.Contains(("avoids floral scents", Negative), Extract("It has a floral scent.", 1));
        Assert.DoesNotContain(Extract("It has a floral scent.", 3), p => p.Text.Contains("floral"));
    }

    [Fact]
    public void DeliveryAndPriceAreIgnored()
    {
        var result = new LexiconPreferenceExtractor().Extract(Fixtures.Window("Arrived late and the package was damaged. Overpriced for a tiny bottle.", 1));
        Assert.False(result.Succeeded);
        Assert.Contains("no preference", result.Error);
    }

    [Fact]
    public void BrandsInReviewsNeverReachThePreferences()
    {
        var preferences = Extract("Aqua Velva smells great, a classic Aqua Velva scent. Better than Crest mouthwash.", 5);
        Assert.NotEmpty(preferences);
        Assert.All(preferences, p =>
        {
            Assert.DoesNotContain("velva", p.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("crest", p.Text, StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public void EvidenceAddsUpAcrossTheWindowAndCapsAtFive()
    {
        var window = Fixtures.Window(
            ("Love the lavender scent. Too greasy though.", 4),
            ("The glitter is fun. Lavender again, lovely.", 5),
            ("Matte finish, great. Fragrance-free too.", 5),
            ("Sulfate-free and gentle. My curly hair is happy.", 5),
            ("Rich creamy texture. Smells of coconut, nice.", 5));
        var result = new LexiconPreferenceExtractor().Extract(window);
        Assert.True(result.Succeeded);
        Assert.Equal(5, result.Preferences.Count);
        Assert.Equal(result.Preferences.Count, result.Preferences.Select(p => p.Text).Distinct().Count());
        Assert.Equal(LexiconPreferenceExtractor.SentimentSource, result.SentimentBy);
        var again = new LexiconPreferenceExtractor().Extract(window);
        Assert.Equal(result.Preferences, again.Preferences);
    }

    [Fact]
    public void ConflictingEvidenceKeepsTheStrongerSide()
    {
        var window = Fixtures.Window(("Hate the vanilla scent.", 1), ("The vanilla scent is lovely.", 5), ("Vanilla again, wonderful scent.", 5));
        var preferences = new LexiconPreferenceExtractor().Extract(window).Preferences;
        Assert.Contains(preferences, p => p is { Text: "likes vanilla scents", Sentiment: PreferenceSentiment.Positive });
        Assert.DoesNotContain(preferences, p => p.Text == "avoids vanilla scents");
    }

    [Fact]
    public void TitlesSpeakOnlyForItemsReviewedWithoutText()
    {
        var item = new Mender.Data.Item(0, "A", "Fragrance Free Matte Lipstick", Brand: "Glossy Co");
        var silent = new Extraction.ReviewWindow([new Extraction.ReviewedItem(item, new Mender.Data.Interaction(0, 0))]);
        var preferences = new LexiconPreferenceExtractor().Extract(silent).Preferences.Select(p => p.Text).ToList();
        Assert.Contains("prefers fragrance-free products", preferences);
        Assert.Contains("likes matte finishes", preferences);
        var reviewed = new Extraction.ReviewWindow([new Extraction.ReviewedItem(item, new Mender.Data.Interaction(0, 0, 5, null, "Love the gentle feel."))]);
        Assert.DoesNotContain("likes matte finishes", new LexiconPreferenceExtractor().Extract(reviewed).Preferences.Select(p => p.Text));
    }

    [Fact]
    public void EverySentenceStartsWithAWantingOrAvoidingVerbAndIsClassifiedAlike()
    {
        foreach (var feature in AspectLexicon.Default.Features)
        {
            foreach (var text in new[] { feature.Like, feature.WhenNegated }.OfType<string>())
                Assert.Equal(PreferenceSentiment.Positive, LexiconSentimentClassifier.Classify(text));
            if (feature.Avoid is { } avoid)
            {
                Assert.Equal(PreferenceSentiment.Negative, LexiconSentimentClassifier.Classify(avoid));
                Assert.NotEqual(avoid, PositiveForm.Rewrite(avoid));
            }
        }
    }

    [Fact]
    public void OverADatasetWithoutReviewsItSaysItReadsItemTextOnly()
    {
        var reviewed = Fixtures.Dataset(users: 2, historyLength: 3);
        var bare = new Mender.Data.Dataset("bare", reviewed.Items,
            reviewed.Users.Select(u => u with { Interactions = u.Interactions.Select(i => i with { Rating = null, Summary = null, ReviewText = null }).ToList() }).ToList());

        Assert.Equal(LexiconPreferenceExtractor.ExtractorName, LexiconPreferenceExtractor.For(reviewed).Name);
        Assert.Equal(LexiconPreferenceExtractor.ItemTextName, LexiconPreferenceExtractor.For(bare).Name);
    }
}
