using Mender.Preference.Extraction;
using Mender.Preference.Prompts;

namespace Mender.Preference.Tests;

public class PromptTests
{
    [Fact]
    public void TemplateFillsNamedPlaceholdersAndKeepsSingleBraces()
    {
        var template = new PromptTemplate("t", "Reviews:\n{{reviews}}\nAt most {{ max }} items. Reply {\"preferences\": []}");
        Assert.Equal(["max", "reviews"], template.Placeholders);
        var text = template.Render(new Dictionary<string, string> { ["reviews"] = "R1", ["max"] = "5" });
        Assert.Equal("Reviews:\nR1\nAt most 5 items. Reply {\"preferences\": []}", text);
    }

    [Fact]
    public void TemplateRejectsMissingAndUnknownValues()
    {
        var template = new PromptTemplate("t", "{{a}} and {{b}}");
        Assert.Throws<FormatException>(() => template.Render(new Dictionary<string, string> { ["a"] = "1" }));
        Assert.Throws<FormatException>(() => template.Render(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["c"] = "3" }));
        Assert.Throws<InvalidDataException>(() => template.Require("a", "b", "c"));
        Assert.Throws<InvalidDataException>(() => template.Require("a"));
    }

    [Fact]
    public void ShippedPromptsLoadFromBesideTheBinary()
    {
        var library = PromptLibrary.Load();
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "prompts"), library.Directory);
        Assert.Equal(["max_preferences", "reviews"], library.Extraction.Placeholders);
        Assert.Equal(["preferences"], library.Sentiment.Placeholders);
        Assert.Contains("\"preferences\"", library.Extraction.Text);
        Assert.Contains("\"sentiments\"", library.Sentiment.Text);
    }

    [Fact]
    public void PromptsFolderCanBeOverriddenAndIsChecked()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.Sub(PromptLibrary.ExtractionFile), "Custom: {{reviews}} ({{max_preferences}})");
        File.WriteAllText(folder.Sub(PromptLibrary.SentimentFile), "Classify: {{preferences}}");
        var library = PromptLibrary.Load(folder.Path);
        var prompt = new ExtractionPrompt(library.Extraction, maxPreferences: 3).Render(Fixtures.Window("Lovely scent."));
        Assert.StartsWith("Custom: Product 1: Item 0\nRating: 5 of 5\nReview: Lovely scent. (3)", prompt);

        File.WriteAllText(folder.Sub(PromptLibrary.SentimentFile), "Classify: {{lines}}");
        Assert.Throws<InvalidDataException>(() => PromptLibrary.Load(folder.Path));
        File.Delete(folder.Sub(PromptLibrary.SentimentFile));
        Assert.Throws<FileNotFoundException>(() => PromptLibrary.Load(folder.Path));
        Assert.Throws<DirectoryNotFoundException>(() => PromptLibrary.Load(folder.Sub("missing")));
    }

    [Fact]
    public void ExtractionPromptShowsTheWindowButNotTheBrandAndCutsLongReviews()
    {
        var dataset = Fixtures.Dataset(users: 1, historyLength: 3);
        var step = new ExtractionStep(dataset.Users[0], 2, 0);
        var rendered = new ExtractionPrompt(PromptLibrary.Load().Extraction, maxReviewChars: 20).Render(step.Window(dataset));
        Assert.Contains("Product 1: Product 0", rendered);
        Assert.Contains("Product 3: Product 2", rendered);
        Assert.Contains("Review title: Review", rendered);
        Assert.Contains("Rating: 2 of 5", rendered);
        Assert.Contains("Review: I love the lavender ...", rendered);
        Assert.DoesNotContain("Acmeglow", rendered);
        Assert.DoesNotContain("{{", rendered);
        Assert.Equal(ExtractionPrompt.Hash(rendered), ExtractionPrompt.Hash(rendered));
        Assert.NotEqual(ExtractionPrompt.Hash(rendered), ExtractionPrompt.Hash(rendered + " "));
    }

    [Fact]
    public void A_prompt_that_does_not_fit_drops_old_reviews_first_then_cuts_long_ones()
    {
        var renderer = new ExtractionPrompt(PromptLibrary.Load().Extraction);
        var longReview = string.Join(' ', Enumerable.Repeat("the cream felt greasy and the smell lingered", 30));
        var window = Fixtures.Window(("old and fine", 5), ("older still, smells nice", 4), (longReview, 2));
        var whole = renderer.Render(window);
        Assert.Equal(new FittedPrompt(whole, null), renderer.Fit(window, _ => true));

        var withoutOld = renderer.Render(new ReviewWindow(window.Entries.Skip(2).ToList()));
        var dropped = renderer.Fit(window, p => p.Length <= withoutOld.Length);
        Assert.Equal(withoutOld, dropped.Text);
        Assert.Equal("dropped the 2 oldest of 3 reviews", dropped.Fitting);

        var cut = renderer.Fit(window, p => p.Length <= withoutOld.Length - 400);
        Assert.Equal("dropped the 2 oldest of 3 reviews; cut 1 review texts to 175 characters", cut.Fitting);
        Assert.DoesNotContain("old and fine", cut.Text);
        Assert.Contains("the cream felt greasy", cut.Text);
    }
}
