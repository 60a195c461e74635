using Mender.Preference.Extraction;
using Mender.Preference.Prompts;

namespace Mender.Preference.Tests;

public class PromptTests
{
    [Fact]
    public void TemplateFillsNamedPlaceholdersAndKeepsSingleBraces()
    {
        var template = new PromptTemplate("t", "Reviews:\n{{$reviews}}\nAt most {{ $max }} items. Reply {\"preferences\": []}");
        Assert.Equal(["max", "reviews"], template.Placeholders);
        var text = template.Render(new Dictionary<string, string> { ["reviews"] = "R1", ["max"] = "5" });
        Assert.Equal("Reviews:\nR1\nAt most 5 items. Reply {\"preferences\": []}", text);
    }

    [Fact]
    public void TemplateRejectsMissingAndUnknownValues()
    {
        var template = new PromptTemplate("t", "{{$a}} and {{$b}}");
        Assert.Throws<FormatException>(() => template.Render(new Dictionary<string, string> { ["a"] = "1" }));
        Assert.Throws<FormatException>(() => template.Render(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["c"] = "3" }));
        Assert.Throws<InvalidDataException>(() => template.Require("a", "b", "c"));
        Assert.Throws<InvalidDataException>(() => template.Require("a"));
    }

    [Fact]
    public void ValuesArriveAsWrittenAndOnlyVariablesAreTemplated()
    {
        var template = new PromptTemplate("t", "Review: {{$review}}");
        Assert.Equal("Review: <b>great</b> & \"cheap\" {{$not_a_variable}}",
            template.Render(new Dictionary<string, string> { ["review"] = "<b>great</b> & \"cheap\" {{$not_a_variable}}" }));
        Assert.Throws<InvalidDataException>(() => new PromptTemplate("t", "{{reviews}}"));
        Assert.Throws<InvalidDataException>(() => new PromptTemplate("t", "{{summarize $reviews}}"));
    }

    [Fact]
    public void ShippedPromptsLoadFromBesideTheBinary()
    {
        var library = PromptLibrary.Load();
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "prompts"), library.Directory);
        Assert.Equal(["max_preferences", "reviews"], library.Extraction.Placeholders);
        Assert.Equal(PromptLibrary.ExtractionName, library.Extraction.Name);
        Assert.Equal(["preferences"], library.Sentiment.Placeholders);
        Assert.Contains("\"preferences\"", library.Extraction.Text);
        Assert.Contains("\"sentiments\"", library.Sentiment.Text);
    }

    [Fact]
    public void PromptsFolderCanBeOverriddenAndIsChecked()
    {
        using var folder = new TempFolder();
        Write(folder, PromptLibrary.ExtractionName, "Custom: {{$reviews}} ({{$max_preferences}})", "reviews", "max_preferences");
        Write(folder, PromptLibrary.SentimentName, "Classify: {{$preferences}}", "preferences");
        var library = PromptLibrary.Load(folder.Path);
        var prompt = new ExtractionPrompt(library.Extraction, maxPreferences: 3).Render(Fixtures.Window("Lovely scent."));
        Assert.StartsWith("Custom: Product 1: Item 0\nRating: 5 of 5\nReview: Lovely scent. (3)", prompt);

        Write(folder, PromptLibrary.SentimentName, "Classify: {{$lines}}", "lines");
        var unknown = Assert.Throws<InvalidDataException>(() => PromptLibrary.Load(folder.Path)).Message;
        Assert.Contains("lacks the variable(s) {{$preferences}}", unknown);
        Write(folder, PromptLibrary.SentimentName, "Classify: {{$preferences}}", "preferences", "extra");
        Assert.Contains("declares", Assert.Throws<InvalidDataException>(() => PromptLibrary.Load(folder.Path)).Message);
        File.WriteAllText(Path.Combine(folder.Sub(PromptLibrary.SentimentName), PromptLibrary.ConfigFile), "{\"input_variables\": [");
        Assert.Contains(PromptLibrary.ConfigFile, Assert.Throws<InvalidDataException>(() => PromptLibrary.Load(folder.Path)).Message);
        File.Delete(Path.Combine(folder.Sub(PromptLibrary.SentimentName), PromptLibrary.TemplateFile));
        Assert.Throws<FileNotFoundException>(() => PromptLibrary.Load(folder.Path));
        Assert.Throws<DirectoryNotFoundException>(() => PromptLibrary.Load(folder.Sub("missing")));
    }

    private static void Write(TempFolder folder, string name, string template, params string[] variables)
    {
        var dir = folder.Sub(name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, PromptLibrary.TemplateFile), template);
        var declared = string.Join(", ", variables.Select(v => $"{{\"name\": \"{v}\", \"is_required\": true}}"));
        File.WriteAllText(Path.Combine(dir, PromptLibrary.ConfigFile), $"{{\"schema\": 1, \"input_variables\": [{declared}]}}");
    }

    /// <summary>Rows of earlier runs are keyed by the prompt's hash: the shipped prompts must render exactly as they did.</summary>
    [Fact]
    public void TheShippedPromptsRenderAsTheyDidWhenRowsWereKeyedByThem()
    {
        var library = PromptLibrary.Load();
        var dataset = Fixtures.Dataset(users: 1, historyLength: 3);
        var extraction = new ExtractionPrompt(library.Extraction).Render(new ExtractionStep(dataset.Users[0], 2, 0).Window(dataset));
        var sentiment = library.Sentiment.Render(new Dictionary<string, string> { ["preferences"] = "1. likes <b>bold</b> & \"bright\" colours" });
        Assert.Equal("9eef5565f57a97e1", ExtractionPrompt.Hash(extraction));
        Assert.Equal("cb5ac09993b15633", ExtractionPrompt.Hash(sentiment));
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
    public void APromptThatDoesNotFitDropsOldReviewsFirstThenCutsLongOnes()
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
