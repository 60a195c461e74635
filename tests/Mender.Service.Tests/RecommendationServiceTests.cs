using Mender.Preference.Extraction;
using Mender.Preference.Lexicon;

namespace Mender.Service.Tests;

[Collection(TrainedWorld.Collection)]
public sealed class RecommendationServiceTests(TrainedWorld world)
{
    private string UserWithHistory => world.Dataset.Users.First(u => u.Interactions.Count >= 5).ExternalId;

    [Fact]
    public async Task DirectModeReturnsKRealItemsOutsideTheHistoryWithReasons()
    {
        using var service = world.Open();
        var user = world.Dataset.Users.First(u => u.ExternalId == UserWithHistory);
        var response = await service.RecommendAsync(new RecommendationRequest { UserId = user.ExternalId, K = 5, Preference = "fragrance-free moisturizer" });

        Assert.Equal(5, response.Items.Count);
        Assert.Equal("mender", response.Mode);
        Assert.Equal("fragrance-free moisturizer", response.Preference);
        Assert.Null(response.Reasoning);
        Assert.Equal(0, response.CompletionTokens);
        var seen = user.Interactions.Select(i => world.Dataset.Items[i.ItemId].ExternalId).ToHashSet();
        var catalogue = world.Dataset.Items.ToDictionary(i => i.ExternalId);
        foreach (var item in response.Items)
        {
            Assert.DoesNotContain(item.ItemId, seen);
            Assert.Equal(catalogue[item.ItemId].Title, item.Title);
            Assert.Equal(4, item.Sid.Count);
            Assert.False(item.ColdStart);
            Assert.False(string.IsNullOrWhiteSpace(item.Reason));
        }
        Assert.Equal(response.Items.Select(i => i.Score).OrderByDescending(s => s), response.Items.Select(i => i.Score));
    }

    [Fact]
    public async Task AHistoryOfItemIdsWorksWithoutAUserAndCanKeepHistoryItems()
    {
        using var service = world.Open();
        var history = world.Dataset.Users[3].Interactions.Select(i => world.Dataset.Items[i.ItemId].ExternalId).ToArray();
        var excluded = await service.RecommendAsync(new RecommendationRequest { History = history, K = 10 });
        var kept = await service.RecommendAsync(new RecommendationRequest { History = history, K = 10, ExcludeHistory = false });

        Assert.Equal(10, excluded.Items.Count);
        Assert.DoesNotContain(excluded.Items, i => history.Contains(i.ItemId));
        Assert.Equal(Math.Min(history.Length, 20), kept.HistoryLength);
        Assert.True(kept.Items[0].Score >= excluded.Items[0].Score);
    }

    [Fact]
    public async Task BadRequestsNameTheFieldAndUnknownIdsAreNotFound()
    {
        using var service = world.Open();
        var user = UserWithHistory;
        Assert.Equal("k", (await Assert.ThrowsAnyAsync<ArgumentException>(() => service.RecommendAsync(new RecommendationRequest { UserId = user, K = 0 }))).ParamName);
        Assert.Equal("k", (await Assert.ThrowsAnyAsync<ArgumentException>(() => service.RecommendAsync(new RecommendationRequest { UserId = user, K = 101 }))).ParamName);
        Assert.Equal("beam", (await Assert.ThrowsAnyAsync<ArgumentException>(() => service.RecommendAsync(new RecommendationRequest { UserId = user, K = 10, Beam = 5 }))).ParamName);
        var tooLong = Enumerable.Repeat(world.Dataset.Items[0].ExternalId, 201).ToArray();
        Assert.Equal("history", (await Assert.ThrowsAnyAsync<ArgumentException>(() => service.RecommendAsync(new RecommendationRequest { History = tooLong }))).ParamName);
        Assert.Equal("history", (await Assert.ThrowsAnyAsync<ArgumentException>(() => service.RecommendAsync(new RecommendationRequest()))).ParamName);
        Assert.Contains("nobody", (await Assert.ThrowsAsync<KeyNotFoundException>(() => service.RecommendAsync(new RecommendationRequest { UserId = "nobody" }))).Message);
        Assert.Contains("X-404", (await Assert.ThrowsAsync<KeyNotFoundException>(() => service.RecommendAsync(new RecommendationRequest { History = ["X-404"] }))).Message);
        var noModel = await Assert.ThrowsAsync<InvalidOperationException>(() => service.RecommendAsync(new RecommendationRequest { UserId = user, Reasoning = true }));
        Assert.Contains("model", noModel.Message);
        Assert.False(service.CanReason);
    }

    [Fact]
    public async Task APreferenceAloneIsEnoughForAMenderModeCheckpoint()
    {
        using var service = world.Open();
        var response = await service.RecommendAsync(new RecommendationRequest { Preference = "a gentle shampoo", K = 3 });
        Assert.Equal(3, response.Items.Count);
        Assert.Equal(0, response.HistoryLength);
    }

    [Fact]
    public async Task ATigerModeCheckpointSaysThatItIgnoresThePreference()
    {
        using var service = RecommendationService.Open(new RecommendationServiceOptions { Checkpoint = world.TigerCheckpoint });
        var response = await service.RecommendAsync(new RecommendationRequest { UserId = UserWithHistory, Preference = "matte lipstick", K = 3 });
        Assert.Equal("tiger", response.Mode);
        Assert.Equal(3, response.Items.Count);
        Assert.Contains(response.Notes, n => n.Contains("tiger mode"));
        var alone = await Assert.ThrowsAnyAsync<ArgumentException>(() => service.RecommendAsync(new RecommendationRequest { Preference = "matte lipstick" }));
        Assert.Equal("history", alone.ParamName);
    }

    [Fact]
    public async Task StreamingInDirectModeGivesThePreferenceThenTheResponse()
    {
        using var service = world.Open();
        var events = new List<RecommendationEvent>();
        await foreach (var e in service.StreamAsync(new RecommendationRequest { UserId = UserWithHistory, Preference = "matte lipstick", K = 4 }))
            events.Add(e);
        Assert.Collection(events,
            e => Assert.Equal("matte lipstick", Assert.IsType<PreferenceChosen>(e).Text),
            e => Assert.Equal(4, Assert.IsType<Completed>(e).Response.Items.Count));
        await Assert.ThrowsAsync<KeyNotFoundException>(async () =>
        {
            await foreach (var _ in service.StreamAsync(new RecommendationRequest { UserId = "nobody" })) { }
        });
    }

    [SharedFact]
    public async Task ReasoningThinksInThreeStagesStreamsThemAndStillReturnsRealItems()
    {
        using var service = world.Open(SharedData.PathOf("models/tiny/stories260K.gguf"));
        Assert.True(service.CanReason);
        var deltas = new List<string>();
        RecommendationResponse? response = null;
        await foreach (var e in service.StreamAsync(new RecommendationRequest { UserId = UserWithHistory, Preference = "no fragrance", K = 5, Reasoning = true }))
        {
            if (e is ThoughtDelta d) deltas.Add(d.Text);
            else if (e is Completed c) response = c.Response;
        }

        Assert.NotNull(response);
        var thought = response.Reasoning!;
        Assert.StartsWith("<think>\n", thought);
        Assert.EndsWith("</think>", thought);
        var evidence = thought.IndexOf("\nEvidence:", StringComparison.Ordinal);
        var latent = thought.IndexOf("\nLatent preferences:", StringComparison.Ordinal);
        var intent = thought.IndexOf("\nCurrent intent:", StringComparison.Ordinal);
        Assert.True(evidence >= 0 && latent > evidence && intent > latent, thought);
        Assert.Equal(thought, string.Concat(deltas));
        Assert.True(deltas.Count > 8, $"only {deltas.Count} pieces streamed");
        Assert.True(response.CompletionTokens > 0 && response.PromptTokens > 0);
        Assert.False(string.IsNullOrWhiteSpace(response.Preference));
        Assert.Equal(5, response.Items.Count);
        var ids = world.Dataset.Items.Select(i => i.ExternalId).ToHashSet();
        Assert.All(response.Items, i => Assert.Contains(i.ItemId, ids));
    }

    [Fact]
    public async Task AnyChatClientCanDoTheReasoning()
    {
        var client = new ScriptedChatClient([" bought creams"], [" likes unscented things"], [" a new cream"], [" an unscented face cream\n"]);
        using var service = RecommendationService.Open(new RecommendationServiceOptions { Checkpoint = world.Checkpoint }, client);
        Assert.True(service.CanReason);
        Assert.Equal("scripted-model", service.ReasoningModelName);
        var response = await service.RecommendAsync(new RecommendationRequest { UserId = UserWithHistory, Reasoning = true, K = 3 });

        Assert.Equal("<think>\nEvidence: bought creams\nLatent preferences: likes unscented things\nCurrent intent: a new cream\n</think>", response.Reasoning);
        Assert.Equal("an unscented face cream", response.Preference);
        Assert.Equal(3, response.Items.Count);
        Assert.Equal(4, client.Prompts.Count);
        Assert.Contains("(nothing typed", client.Prompts[0]);
    }

    [Fact]
    public async Task PreferencesAreExtractedFromReviewsByTheBuiltInExtractor()
    {
        using var service = world.Open();
        var extracted = await service.ExtractPreferencesAsync(
        [
            new ReviewInput("Calm Cream", 5, "Lovely", "I love that it is fragrance-free, my dry skin feels soft all day."),
            new ReviewInput("Glitter Gloss", 1, null, "Way too much glitter and it feels sticky."),
        ]);
        Assert.NotEmpty(extracted.Preferences);
        Assert.Equal(LexiconPreferenceExtractor.ExtractorName, extracted.Extractor);
        Assert.Equal("reviews", (await Assert.ThrowsAnyAsync<ArgumentException>(() => service.ExtractPreferencesAsync([]))).ParamName);
        Assert.Equal("reviews", (await Assert.ThrowsAnyAsync<ArgumentException>(() => service.ExtractPreferencesAsync([new ReviewInput("x", 9, null, "fine")]))).ParamName);
    }

    [SharedFact]
    public async Task WithAModelPreferencesComeFromTheLlmOrElseFromTheLexicon()
    {
        using var service = world.Open(SharedData.PathOf("models/tiny/stories260K.gguf"));
        var extracted = await service.ExtractPreferencesAsync([new ReviewInput("Calm Cream", 5, null, "I love that it is fragrance-free and gentle on dry skin.")]);
        Assert.NotEmpty(extracted.Preferences);
        Assert.All(extracted.Preferences, p => Assert.False(string.IsNullOrWhiteSpace(p.Text)));
        Assert.True(extracted.Extractor == LexiconPreferenceExtractor.ExtractorName
            || extracted.Extractor.StartsWith($"{ChatPreferenceExtractor.ExtractorName} (", StringComparison.Ordinal), extracted.Extractor);
    }
}
