using Mender.Data.Demo;
using Mender.Data.Text;
using Mender.Preference.Extraction;
using Mender.Preference.Lexicon;
using Mender.Preference.Matching;
using Mender.Preference.Prompts;
using Mender.Preference.Sentiment;
using Mender.Preference.Storage;
using Mender.Recommender.Embeddings;

namespace Mender.Preference.Tests;

/// <summary>
/// The whole preference pipeline on a small demo world, whose users' tastes are known: the built-in extractor must
/// recover them with the right sentiment, and matching with the lexical embedder must pick preferences that concern
/// the target item far more often than a preference picked at random from the same step.
/// </summary>
public class DemoWorldTests
{
    private static readonly (string Attribute, string Keyword)[] Keywords =
        DemoWorld.AttributeNames.Select(a => (a, DemoWorld.KeywordOf(a))).ToArray();

    private static IEnumerable<string> Named(string text) =>
        Keywords.Where(k => text.Contains(k.Keyword, StringComparison.OrdinalIgnoreCase)).Select(k => k.Attribute);

    [Fact]
    public async Task PreferencesFollowTheHiddenTastesAndMatchTheirTargets()
    {
        var world = DemoWorld.Generate(new DemoWorldOptions { Users = 150, Items = 400 });
        var dataset = world.Dataset;
        using var folder = new TempFolder();
        using var store = PreferenceStore.Open(folder.Path);
        await new ExtractionJob(dataset, new LexiconPreferenceExtractor(), PromptLibrary.Load()).RunAsync(store);

        int agree = 0, contradict = 0;
        foreach (var row in store.Rows().Where(r => r.Status == StepStatus.Completed))
        {
            var taste = world.Tastes[row.UserIndex];
            foreach (var preference in row.Preferences)
                foreach (var attribute in Named(preference.Text))
                {
                    var wanted = preference.Sentiment == PreferenceSentiment.Positive ? taste.Likes : taste.Dislikes;
                    var opposite = preference.Sentiment == PreferenceSentiment.Positive ? taste.Dislikes : taste.Likes;
                    if (wanted.Contains(attribute)) agree++;
                    else if (opposite.Contains(attribute)) contradict++;
                }
        }
        Assert.True(agree > 1000, $"only {agree} preferences name a liked or disliked attribute with its sentiment");
        Assert.True(contradict * 50 < agree, $"{contradict} preferences contradict the tastes ({agree} agree)");

        var embedder = LexicalEmbeddingGenerator.Fit(dataset.Items.Select(ItemText.Render).ToList(), new LexicalEmbedderOptions { Dimensions = 64 });
        var matches = await new PreferenceMatcher(embedder).MatchAsync(dataset, store);
        Assert.True(matches.All.Count > matches.Targets * 8 / 10);
        int named = 0, concerned = 0, randomNamed = 0, randomConcerned = 0;
        var random = new Random(7);
        foreach (var match in matches.All)
        {
            var attributes = dataset.Items[match.ItemId].Attributes;
            Tally(match.Matched.Text, ref named, ref concerned);
            Tally(match.Preferences[random.Next(match.Preferences.Count)].Text, ref randomNamed, ref randomConcerned);

            void Tally(string text, ref int n, ref int hits)
            {
                var said = Named(text).ToList();
                if (said.Count == 0) return;
                n++;
                if (said.Any(attributes.Contains)) hits++;
            }
        }
        var matchedRate = (double)concerned / named;
        var randomRate = (double)randomConcerned / randomNamed;
        Assert.True(matchedRate > randomRate + 0.2, $"matched preferences concern the target {matchedRate:P0} of the time, random ones {randomRate:P0}");
    }
}
