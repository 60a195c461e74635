namespace Mender.Service.Tests;

[Collection(TrainedWorld.Collection)]
public sealed class ColdStartServiceTests(TrainedWorld world)
{
    private string WriteItems(params string[] lines)
    {
        var path = Path.Combine(world.Root, "new-" + Guid.NewGuid().ToString("N")[..8] + ".jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task ANewItemThatMatchesThePreferenceIsRecommendedAndMarkedColdStart()
    {
        var checkpoint = world.CopyCheckpoint();
        var user = world.Dataset.Users.First(u => u.Interactions.Count >= 4);
        const string preference = "unscented moisturizer for very dry skin with shea butter";
        using var service = RecommendationService.Open(new RecommendationServiceOptions { Checkpoint = checkpoint });
        var before = await service.RecommendAsync(new RecommendationRequest { UserId = user.ExternalId, Preference = preference, K = 10 });
        Assert.DoesNotContain(before.Items, i => i.ColdStart);

        var report = RecommendationService.AddColdStartItems(checkpoint, WriteItems(
            """{"item_id": "NEW-1", "title": "Unscented Shea Butter Moisturizer for Very Dry Skin", "attributes": ["unscented", "for dry skin", "moisturizer"], "description": "A rich moisturizer with shea butter for very dry skin."}""",
            """{"item_id": "NEW-2", "title": "Neon Party Glitter Spray", "attributes": ["glitter"]}"""));
        Assert.Equal((2, 0), (report.Added, report.Updated));

        var after = await service.RecommendAsync(new RecommendationRequest { UserId = user.ExternalId, Preference = preference, K = 10 });
        var fresh = Assert.Single(after.Items, i => i.ColdStart);
        Assert.Equal("NEW-1", fresh.ItemId);
        Assert.Empty(fresh.Sid);
        Assert.Contains("moisturizer", fresh.Reason);
        Assert.Equal(10, after.Items.Count);
        Assert.Equal(after.Items.Select(i => i.Score).OrderByDescending(s => s), after.Items.Select(i => i.Score));
        Assert.Equal(2, service.ColdStartCount);

        // A cold-start item in the history is understood and, by default, not recommended again.
        var again = await service.RecommendAsync(new RecommendationRequest { UserId = user.ExternalId, History = ["NEW-1"], Preference = preference, K = 10 });
        Assert.DoesNotContain(again.Items, i => i.ItemId == "NEW-1");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AvoidingAScentRanksAColdStartItemWithItBelowOneWithoutIt(bool tiger)
    {
        var checkpoint = world.CopyCheckpoint(tiger ? world.TigerCheckpoint : null);
        var user = world.Dataset.Users.First(u => u.Interactions.Count >= 4);
        // k above the catalogue's size: every generated item and both cold-start items are ranked, nothing is cut off.
        var k = world.Dataset.Items.Count + 2;
        using var service = RecommendationService.Open(new RecommendationServiceOptions { Checkpoint = checkpoint, MaxK = k });
        RecommendationService.AddColdStartItems(checkpoint, WriteItems(
            """{"item_id": "NEW-ROSE", "title": "Rose Body Lotion", "attributes": ["rose scent"], "description": "Smells like real roses."}""",
            """{"item_id": "NEW-PLAIN", "title": "Body Lotion", "attributes": ["for sensitive skin"], "description": "A plain lotion."}"""));

        var response = await service.RecommendAsync(new RecommendationRequest { UserId = user.ExternalId, Preference = "avoids rose scents", K = k });
        var items = response.Items.Select(i => i.ItemId).ToList();
        Assert.Contains("NEW-ROSE", items);
        Assert.True(items.IndexOf("NEW-PLAIN") < items.IndexOf("NEW-ROSE"), $"ranked: {string.Join(", ", items.Where(i => i.StartsWith("NEW", StringComparison.Ordinal)))}");
    }

    [Fact]
    public void AddingAnIdAgainUpdatesItAndCatalogueIdsAreRefused()
    {
        var checkpoint = world.CopyCheckpoint();
        RecommendationService.AddColdStartItems(checkpoint, WriteItems("""{"item_id": "N1", "title": "First title"}"""));
        var second = RecommendationService.AddColdStartItems(checkpoint, WriteItems("""{"item_id": "N1", "title": "Second title", "attributes": ["vegan"]}"""));
        Assert.Equal((0, 1), (second.Added, second.Updated));
        var listed = Assert.Single(RecommendationService.ListColdStartItems(checkpoint));
        Assert.Equal("Second title", listed.Title);
        Assert.Equal(["vegan"], listed.Attributes);

        var taken = world.Dataset.Items[0].ExternalId;
        var refused = Assert.ThrowsAny<ArgumentException>(() => RecommendationService.AddColdStartItems(checkpoint, WriteItems($$"""{"item_id": "{{taken}}", "title": "x"}""")));
        Assert.Contains(taken, refused.Message);
    }
}
