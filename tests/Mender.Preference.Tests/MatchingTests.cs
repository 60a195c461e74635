using System.Collections.Concurrent;
using Mender.Data;
using Mender.Preference.Matching;
using Mender.Preference.Sentiment;
using Mender.Preference.Storage;
using Microsoft.Extensions.AI;

namespace Mender.Preference.Tests;

public class MatchingTests
{
    /// <summary>Counts the words of a fixed vocabulary: cosine then measures shared words. Records what it embeds.</summary>
    private sealed class WordCountEmbedder : IEmbeddingGenerator<string, Embedding<float>>
    {
        private static readonly string[] Vocabulary =
            ["glitter", "lavender", "matte", "lipstick", "lotion", "scent", "scents", "polish", "nail", "avoids", "likes", "products", "fragrance", "free"];

        public ConcurrentBag<string> Embedded { get; } = [];

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var text in values)
            {
                Embedded.Add(text);
                var words = text.ToLowerInvariant().Split([' ', '-', ',', '\n', ':'], StringSplitOptions.RemoveEmptyEntries);
                result.Add(new Embedding<float>(Vocabulary.Select(v => (float)words.Count(w => w == v)).ToArray()));
            }
            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private static readonly Item[] Items =
    [
        new(0, "A", "Glitter Nail Polish"),
        new(1, "B", "Lavender Body Lotion"),
        new(2, "C", "Matte Lipstick"),
        new(3, "D", "Fragrance Free Lotion"),
    ];

    private static Dataset Dataset() => new("match", Items,
    [
        new User(0, "U0", [new Interaction(2, 1), new Interaction(0, 2), new Interaction(1, 3), new Interaction(3, 4)]),
        new User(1, "U1", [new Interaction(3, 1), new Interaction(2, 2)]),
    ]);

    private static StoredStep Row(string user, int step, params UserPreference[] preferences) =>
        new(user, 0, step, 0, StepStatus.Completed, preferences, "lexicon", "test", null, "h", 1, null, 0, 0, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    private static readonly UserPreference AvoidsGlitter = new("avoids glitter", PreferenceSentiment.Negative);
    private static readonly UserPreference LikesLavender = new("likes lavender scents", PreferenceSentiment.Positive);
    private static readonly UserPreference LikesMatte = new("likes matte lipstick", PreferenceSentiment.Positive);
    private static readonly UserPreference FragranceFree = new("prefers fragrance-free products", PreferenceSentiment.Positive);

    private static PreferenceTable Table() => new(
    [
        Row("U0", 0, LikesLavender, AvoidsGlitter, LikesMatte),
        Row("U0", 1, LikesLavender, AvoidsGlitter, LikesMatte),
        Row("U0", 2, FragranceFree, LikesLavender),
        Row("U1", 1, LikesMatte),
    ]);

    [Fact]
    public async Task EachTargetGetsTheMostSimilarPreferenceOfThePreviousStep()
    {
        var embedder = new WordCountEmbedder();
        var matches = await new PreferenceMatcher(embedder, item => item.Title).MatchAsync(Dataset(), Table());

        Assert.Equal(4, matches.Targets);
        Assert.Equal(3, matches.All.Count);
        Assert.Equal(1, matches.Unmatched);

        var glitter = matches.For(0, 1)!;
        Assert.Equal((0, 0, "avoids glitter", 1), (glitter.ItemId, glitter.Step, glitter.Matched.Text, glitter.MatchedIndex));
        Assert.Equal(PreferenceSentiment.Negative, glitter.Matched.Sentiment);
        Assert.Equal([LikesLavender, AvoidsGlitter, LikesMatte], glitter.Preferences);
        Assert.True(glitter.Similarity > 0.5f);

        Assert.Equal("likes lavender scents", matches.For(0, 2)!.Matched.Text);
        Assert.Equal("prefers fragrance-free products", matches.For(0, 3)!.Matched.Text);
        Assert.Null(matches.For(1, 1));
    }

    [Fact]
    public async Task NegativePreferencesAreComparedInTheirPositiveForm()
    {
        var embedder = new WordCountEmbedder();
        await new PreferenceMatcher(embedder, item => item.Title).MatchAsync(Dataset(), Table());
        Assert.Contains("glitter", embedder.Embedded);
        Assert.DoesNotContain("avoids glitter", embedder.Embedded);
        Assert.Contains("likes lavender scents", embedder.Embedded);
        Assert.Equal(embedder.Embedded.Count, embedder.Embedded.Distinct().Count());
    }

    [Fact]
    public async Task TargetsOutsideTheHistoryAreRejected()
    {
        var matcher = new PreferenceMatcher(new WordCountEmbedder(), item => item.Title);
        await Assert.ThrowsAsync<ArgumentException>(() => matcher.MatchAsync(Dataset(), Table(), [(0, 0)]));
        await Assert.ThrowsAsync<ArgumentException>(() => matcher.MatchAsync(Dataset(), Table(), [(5, 1)]));
    }

    [Fact]
    public async Task PreferencesOfAnotherDatasetAreRefused()
    {
        var table = new PreferenceTable([Row("U0", 0, LikesMatte)], dataset: "elsewhere");
        await Assert.ThrowsAsync<InvalidDataException>(() => new PreferenceMatcher(new WordCountEmbedder()).MatchAsync(Dataset(), table));
    }

    [Fact]
    public void SlidingWindowTargetsAreEveryPositionAfterTheFirst() =>
        Assert.Equal([(0, 1), (0, 2), (0, 3), (1, 1)], PreferenceMatcher.SlidingWindowTargets(Dataset()));
}
