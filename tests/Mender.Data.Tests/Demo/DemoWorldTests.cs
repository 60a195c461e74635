using Mender.Data;
using Mender.Data.Demo;

namespace Mender.Data.Tests.Demo;

public class DemoWorldTests
{
    private static readonly DemoWorldOptions Small = new() { Seed = 7, Items = 600, Users = 300 };

    private static readonly Lazy<DemoWorld> World = new(() => DemoWorld.Generate(Small));

    [Fact]
    public void SameSeedGivesTheSameWorld()
    {
        var again = DemoWorld.Generate(Small);
        DatasetAssert.Equal(World.Value.Dataset, again.Dataset);
        Assert.Equal(World.Value.Tastes.Select(Describe), again.Tastes.Select(Describe));
    }

    /// <summary>
    /// The world a seed gives is pinned: the vocabulary moved from code to tables/demo-vocabulary.json without changing it,
    /// and a change to the vocabulary or the simulation shows up here as a new hash.
    /// </summary>
    [Fact]
    public void TheSeededWorldIsPinned()
    {
        using var folder = new TempFolder();
        World.Value.Save(folder.Path, "test");
        Assert.Equal("fb9e20281a41c266 3a5721f7604d37c7", Hash(Path.Combine(folder.Path, "dataset.bin")) + " " + Hash(Path.Combine(folder.Path, DemoWorld.TastesFileName)));
    }

    private static string Hash(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))[..16];

    [Fact]
    public void AnotherSeedGivesAnotherWorld()
    {
        var other = DemoWorld.Generate(Small with { Seed = 8 });
        Assert.NotEqual(World.Value.Dataset.Items.Select(i => i.Title), other.Dataset.Items.Select(i => i.Title));
    }

    [Fact]
    public void HasTheRequestedShape()
    {
        var dataset = World.Value.Dataset;
        dataset.Validate();
        Assert.Equal(600, dataset.Items.Count);
        Assert.Equal(300, dataset.Users.Count);
        Assert.All(dataset.Users, u => Assert.InRange(u.Interactions.Count, Small.MinHistory, Small.MaxHistory));
        Assert.All(dataset.Users, u => Assert.Equal(u.Interactions.Count, u.Interactions.Select(i => i.ItemId).Distinct().Count()));
        Assert.All(dataset.Users, u => Assert.True(u.Interactions.Zip(u.Interactions.Skip(1)).All(p => p.First.Timestamp < p.Second.Timestamp)));
        Assert.Equal(dataset.Items.Count, dataset.Items.Select(i => i.Title).Distinct().Count());
        Assert.All(dataset.Items, item =>
        {
            Assert.NotNull(item.Brand);
            Assert.Equal(3, item.Categories.Count);
            Assert.InRange(item.Attributes.Count, 1, 5);
            Assert.True(item.Price > 0);
            Assert.All(item.Attributes, a => Assert.Contains(a, item.Description));
        });
        Assert.All(dataset.Users.SelectMany(u => u.Interactions), i =>
        {
            Assert.InRange(i.Rating!.Value, 1, 5);
            Assert.False(string.IsNullOrWhiteSpace(i.Summary));
            Assert.False(string.IsNullOrWhiteSpace(i.ReviewText));
        });
    }

    [Fact]
    public void TastesAreCoherent()
    {
        Assert.All(World.Value.Tastes, taste =>
        {
            Assert.InRange(taste.Likes.Count, 1, 3);
            Assert.InRange(taste.Dislikes.Count, 1, 2);
            Assert.Empty(taste.Likes.Intersect(taste.Dislikes));
            Assert.All(taste.Likes.Concat(taste.Dislikes), a => Assert.Contains(a, DemoWorld.AttributeNames));
        });
        Assert.Equal(Enumerable.Range(0, 300), World.Value.Tastes.Select(t => t.UserId));
    }

    [Fact]
    public void InteractionsFollowTastes()
    {
        var (dataset, tastes) = (World.Value.Dataset, World.Value.Tastes);
        double liked = 0, disliked = 0, likedBase = 0, dislikedBase = 0, count = 0;
        foreach (var user in dataset.Users)
        {
            var taste = tastes[user.Id];
            foreach (var interaction in user.Interactions)
            {
                var attributes = dataset.Items[interaction.ItemId].Attributes;
                liked += attributes.Any(taste.Likes.Contains) ? 1 : 0;
                disliked += attributes.Any(taste.Dislikes.Contains) ? 1 : 0;
                count++;
            }
            likedBase += dataset.Items.Count(i => i.Attributes.Any(taste.Likes.Contains)) / (double)dataset.Items.Count;
            dislikedBase += dataset.Items.Count(i => i.Attributes.Any(taste.Dislikes.Contains)) / (double)dataset.Items.Count;
        }
        // Users buy what they like far more often, and what they dislike far less often, than a random pick would.
        Assert.True(liked / count > 1.5 * likedBase / dataset.Users.Count, $"liked share {liked / count:P1} vs catalogue {likedBase / dataset.Users.Count:P1}");
        Assert.True(disliked / count < 0.6 * dislikedBase / dataset.Users.Count, $"disliked share {disliked / count:P1} vs catalogue {dislikedBase / dataset.Users.Count:P1}");
        Assert.True(disliked > 0, "some disliked items are bought, so negative reviews exist");
    }

    [Fact]
    public void ReviewsExpressTastesInWords()
    {
        var (dataset, tastes) = (World.Value.Dataset, World.Value.Tastes);
        var likedRatings = new List<float>();
        var dislikedRatings = new List<float>();
        foreach (var user in dataset.Users)
        {
            var taste = tastes[user.Id];
            foreach (var interaction in user.Interactions)
            {
                var attributes = dataset.Items[interaction.ItemId].Attributes;
                var text = interaction.ReviewText!;
                foreach (var dislike in attributes.Intersect(taste.Dislikes))
                    Assert.Contains(DemoWorld.KeywordOf(dislike), text, StringComparison.OrdinalIgnoreCase);
                foreach (var like in attributes.Intersect(taste.Likes))
                    Assert.Contains(DemoWorld.KeywordOf(like), text, StringComparison.OrdinalIgnoreCase);
                if (attributes.Any(taste.Dislikes.Contains)) dislikedRatings.Add(interaction.Rating!.Value);
                else if (attributes.Any(taste.Likes.Contains)) likedRatings.Add(interaction.Rating!.Value);
            }
        }
        Assert.True(likedRatings.Average() - dislikedRatings.Average() > 1.5,
            $"liked items average {likedRatings.Average():F2} stars, disliked {dislikedRatings.Average():F2}");
    }

    [Fact]
    public void EveryTasteSentenceNamesItsKeyword()
    {
        foreach (var attribute in DemoVocabulary.Attributes)
        {
            foreach (var sentence in attribute.Praise.Concat(attribute.Complaints).Append(attribute.Wish))
                Assert.Contains(attribute.Keyword, sentence, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(attribute.Keyword, attribute.PraiseSummary, StringComparison.OrdinalIgnoreCase);
            if (attribute.Complaints.Count > 0)
                Assert.Contains(attribute.Keyword, attribute.ComplaintSummary, StringComparison.OrdinalIgnoreCase);
            Assert.NotEmpty(attribute.Types);
            Assert.All(attribute.Types, t => Assert.Contains(DemoVocabulary.ProductTypes, p => p.Name == t));
        }
    }

    [Fact]
    public void HistoriesHaveSequentialStructure()
    {
        var dataset = World.Value.Dataset;
        var typeOf = dataset.Items.Select(i => i.Categories[2]).ToArray();
        var types = DemoVocabulary.ProductTypes;
        int routineSteps = 0, pairs = 0;
        foreach (var user in dataset.Users)
            for (var t = 1; t < user.Interactions.Count; t++)
            {
                var previous = types.First(p => p.Name == typeOf[user.Interactions[t - 1].ItemId]);
                var next = types.First(p => p.Name == typeOf[user.Interactions[t].ItemId]);
                var routineLength = types.Count(p => p.Routine == previous.Routine);
                if (next.Routine == previous.Routine && next.Step == (previous.Step + 1) % routineLength) routineSteps++;
                pairs++;
            }
        // With 46 product types a random next pick would follow the routine about 2% of the time.
        Assert.True(routineSteps > 0.2 * pairs, $"{routineSteps} of {pairs} consecutive picks follow a routine");
    }

    [Fact]
    public void SavesAsADatasetAndLoadsBack()
    {
        using var folder = new TempFolder();
        World.Value.Save(folder.Path, "mender data generate-demo --seed 7");

        var loaded = DemoWorld.Load(folder.Path);
        DatasetAssert.Equal(World.Value.Dataset, loaded.Dataset);
        Assert.Equal(World.Value.Tastes.Select(Describe), loaded.Tastes.Select(Describe));
        Assert.Equal(Small, loaded.Options);

        var plain = DatasetLoader.Load(folder.Path);
        Assert.Equal(World.Value.Dataset.InteractionCount, plain.InteractionCount);
        Assert.Contains("\"seed\": \"7\"", File.ReadAllText(Path.Combine(folder.Path, "manifest.json")));
    }

    [Fact]
    public void RejectsSizesThatCannotHoldTheHistories() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoWorld.Generate(new DemoWorldOptions { Items = 50, MaxHistory = 30 }));

    private static string Describe(UserTaste taste) =>
        $"{taste.UserId}: +{string.Join(",", taste.Likes)} -{string.Join(",", taste.Dislikes)} @{string.Join(",", taste.Categories)}";
}
