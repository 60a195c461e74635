using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Mender.Service.Tests;

[Collection(TrainedWorld.Collection)]
public sealed class MenderChatClientTests(TrainedWorld world)
{
    [Fact]
    public async Task TheUserTurnsAddUpToThePreferenceAndTheOptionsCarryTheUser()
    {
        using var service = world.Open();
        IChatClient client = new MenderChatClient(service);
        var user = world.Dataset.Users[0].ExternalId;
        var options = new ChatOptions { AdditionalProperties = new() { ["user_id"] = user, ["k"] = 3 } };
        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.User, "something for dry hair"), new ChatMessage(ChatRole.Assistant, "..."), new ChatMessage(ChatRole.User, "no fragrance")],
            options);

        var result = Assert.IsType<RecommendationResponse>(response.RawRepresentation);
        Assert.Equal("something for dry hair; avoids fragrance", result.Preference);
        Assert.Equal(3, result.Items.Count);
        var lines = response.Text.Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("Preference used: something for dry hair; avoids fragrance", lines[^1]);
        Assert.StartsWith($"1. {result.Items[0].Title} ({result.Items[0].ItemId})", lines[0]);
        Assert.Equal("mender", client.GetService<ChatClientMetadata>()!.DefaultModelId);
    }

    [Fact]
    public async Task StreamingEndsWithTheListAndHistoryMayComeAsJson()
    {
        using var service = world.Open();
        IChatClient client = new MenderChatClient(service);
        var history = JsonDocument.Parse($"[\"{world.Dataset.Items[1].ExternalId}\", \"{world.Dataset.Items[2].ExternalId}\"]").RootElement;
        var options = new ChatOptions { AdditionalProperties = new() { ["history"] = history, ["k"] = 2 } };
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "matte lipstick")], options))
            updates.Add(update);

        var last = updates[^1];
        Assert.Equal(ChatFinishReason.Stop, last.FinishReason);
        var result = Assert.IsType<RecommendationResponse>(last.RawRepresentation);
        Assert.Equal(2, result.Items.Count);
        Assert.Equal(MenderChatClient.ListText(result), last.Text);
        Assert.DoesNotContain(updates, u => u.Contents.OfType<TextReasoningContent>().Any());
    }

    [Fact]
    public void BadOptionValuesNameTheField()
    {
        var options = new ChatOptions { AdditionalProperties = new() { ["k"] = "many" } };
        Assert.Equal("k", Assert.ThrowsAny<ArgumentException>(() => MenderChatClient.RequestOf([new ChatMessage(ChatRole.User, "x")], options)).ParamName);
        var request = MenderChatClient.RequestOf([new ChatMessage(ChatRole.User, " ")],
            new ChatOptions { AdditionalProperties = new() { ["history"] = "A, B", ["reasoning"] = true } });
        Assert.Null(request.Preference);
        Assert.Equal(["A", "B"], request.History);
        Assert.True(request.Reasoning);
    }
}
