namespace Mender.Service.Tests;

/// <summary>With a language model loaded, the turns of a conversation are combined by it; without a usable answer, by rules.</summary>
[Collection(TrainedWorld.Collection)]
public sealed class ConversationCombinationTests(TrainedWorld world)
{
    private string User => world.Dataset.Users.First(u => u.Interactions.Count >= 3).ExternalId;

    [Fact]
    public async Task TheLanguageModelRewritesTheTurnsIntoThePreferenceUnderAJsonSchema()
    {
        var client = new ScriptedChatClient(["""{"preferences": [{"text": "likes vanilla scents", "sentiment": "positive"}, {"text": "avoids body mists", "sentiment": "negative"}]}"""]);
        using var service = RecommendationService.Open(new RecommendationServiceOptions { Checkpoint = world.Checkpoint }, client);

        var response = await service.RecommendAsync(new RecommendationRequest
        {
            UserId = User, Turns = ["no vanilla", "hmm, vanilla is fine after all", "not another body mist"], K = 5,
        });

        Assert.Equal("likes vanilla scents; avoids body mists", response.Preference);
        Assert.Contains("the conversation's turns were combined by the language model", response.Notes);
        var prompt = Assert.Single(client.Prompts);
        Assert.Contains("The shopper's messages:\n\n1. no vanilla\n2. hmm, vanilla is fine after all\n3. not another body mist\n", prompt);
        Assert.DoesNotContain(response.Items, i => i.Title.Contains("Body Mist", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AnUnusableAnswerFallsBackToTheRules()
    {
        var client = new ScriptedChatClient(["""{"preferences": [{"text": "likes vanilla", "sentiment": "maybe"}]}"""]);
        using var service = RecommendationService.Open(new RecommendationServiceOptions { Checkpoint = world.Checkpoint }, client);

        var response = await service.RecommendAsync(new RecommendationRequest { UserId = User, Turns = ["no vanilla", "something for dry hair"], K = 5 });

        Assert.Equal("avoids vanilla; something for dry hair", response.Preference);
        Assert.Contains(response.Notes, n => n.StartsWith("the language model could not combine the turns (malformed output", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutAModelTheRulesCombineAndTurnsExcludeATypedPreference()
    {
        using var service = world.Open();

        var response = await service.RecommendAsync(new RecommendationRequest { UserId = User, Turns = ["I love vanilla", "no vanilla"], K = 5 });

        Assert.Equal("avoids vanilla", response.Preference);
        Assert.DoesNotContain(response.Notes, n => n.Contains("language model", StringComparison.Ordinal));
        var both = await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            service.RecommendAsync(new RecommendationRequest { UserId = User, Turns = ["x"], Preference = "y" }));
        Assert.Equal("turns", both.ParamName);
    }
}
