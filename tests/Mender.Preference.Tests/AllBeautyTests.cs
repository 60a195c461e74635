using Mender.Data;
using Mender.Preference.Extraction;
using Mender.Preference.Lexicon;
using Mender.Preference.Prompts;
using Mender.Preference.Storage;
using Mender.TestSupport;

namespace Mender.Preference.Tests;

/// <summary>The built-in extractor over the real Amazon 2018 All_Beauty reviews (../shared).</summary>
public class AllBeautyTests
{
    /// <summary>Brands and product lines named in the reviews; none may reach a preference.</summary>
    private static readonly string[] Brands =
    [
        "aqua velva", "bvlgari", "crest", "waterpik", "sonicare", "philips", "norelco", "provence", "philosophy", "rainbath",
        "williams", "diva", "selenium", "bare escentuals", "pro-health", "dove", "olay", "nivea", "axe", "old spice",
    ];

    private static readonly string[] OffTopic = ["ship", "deliver", "arriv", "price", "cheap", "expensive", "money", "seller", "amazon"];

    [SharedFact]
    public async Task BuiltInExtractionGivesSensiblePreferencesForMostUsers()
    {
        var dataset = DatasetLoader.Load(SharedData.PathOf("data/amazon2018-all-beauty/All_Beauty_5.json.gz"));
        Assert.Equal(991, dataset.Users.Count);
        using var folder = new TempFolder();
        ExtractionSummary summary;
        using (var store = PreferenceStore.Open(folder.Path))
            summary = await new ExtractionJob(dataset, new LexiconPreferenceExtractor(), PromptLibrary.Load()).RunAsync(store);

        Assert.Equal(5269, summary.Prompts);
        Assert.Equal(summary.Prompts, summary.Completed + summary.Failed);
        Assert.True(summary.Completed > summary.Prompts / 2, $"only {summary.Completed} of {summary.Prompts} steps have preferences");

        using var reopened = PreferenceStore.OpenExisting(folder.Path);
        var rows = reopened.Rows();
        Assert.Equal(summary.Prompts, rows.Count);
        Assert.All(rows, r => Assert.Equal(LexiconPreferenceExtractor.ExtractorName, r.Extractor));
        var usersWithPreferences = rows.Where(r => r.Status == StepStatus.Completed).Select(r => r.User).Distinct().Count();
        Assert.True(usersWithPreferences > dataset.Users.Count * 6 / 10, $"only {usersWithPreferences} of {dataset.Users.Count} users got preferences");

        var sentences = AspectLexicon.Default.Features
            .SelectMany(f => new[] { f.Like, f.Avoid, f.WhenNegated }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var texts = rows.SelectMany(r => r.Preferences).ToList();
        Assert.Contains(texts, p => p.Sentiment == Sentiment.PreferenceSentiment.Negative);
        Assert.True(texts.Select(p => p.Text).Distinct().Count() > 60, "the preferences should be varied");
        Assert.All(texts, p =>
        {
            Assert.Contains(p.Text, sentences);
            Assert.DoesNotContain(Brands, b => p.Text.Contains(b, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(OffTopic, w => p.Text.Contains(w, StringComparison.OrdinalIgnoreCase));
        });
        Assert.All(rows.Where(r => r.Status == StepStatus.Failed), r => Assert.StartsWith("no preference could be read", r.Error));
    }
}
