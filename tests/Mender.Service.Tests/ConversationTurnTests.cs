using Microsoft.Extensions.AI;

namespace Mender.Service.Tests;

/// <summary>
/// Conversations over the demo world, whose items carry scent attributes in their titles: what a turn avoids leaves
/// the list, the latest word on a topic wins, and a negative stays negative as other turns add to it.
/// </summary>
[Collection(TrainedWorld.Collection)]
public sealed class ConversationTurnTests(TrainedWorld world)
{
    private const int K = 10;

    private static async Task<RecommendationResponse> AskAsync(IChatClient client, string user, params string[] turns)
    {
        var messages = new List<ChatMessage>();
        foreach (var turn in turns)
        {
            if (messages.Count > 0) messages.Add(new ChatMessage(ChatRole.Assistant, "..."));
            messages.Add(new ChatMessage(ChatRole.User, turn));
        }
        var response = await client.GetResponseAsync(messages, new ChatOptions { AdditionalProperties = new() { ["user_id"] = user, ["k"] = K } });
        return Assert.IsType<RecommendationResponse>(response.RawRepresentation);
    }

    private static bool Names(RecommendedItem item, string scent) => item.Title.Contains(scent, StringComparison.OrdinalIgnoreCase);

    private static bool IsVanilla(RecommendedItem item) => Names(item, "vanilla");

    [Fact]
    public async Task AfterNoScentTheItemsWithThatScentLeaveTheList()
    {
        using var service = world.Open();
        IChatClient client = new MenderChatClient(service);
        var checkedLists = 0;
        foreach (var scent in new[] { "vanilla", "lavender", "citrus", "rose" })
            foreach (var user in world.Dataset.Users.Take(20).Select(u => u.ExternalId))
            {
                var liking = await AskAsync(client, user, $"I love {scent}");
                if (!liking.Items.Any(i => Names(i, scent))) continue;
                checkedLists++;

                var avoiding = await AskAsync(client, user, $"I love {scent}", $"no {scent}");

                Assert.Equal($"avoids {scent}", avoiding.Preference);
                Assert.Equal(K, avoiding.Items.Count);
                Assert.DoesNotContain(avoiding.Items, i => Names(i, scent));
            }
        Assert.True(checkedLists > 0, "no list of the first 20 users held an item with the scent they said they love");
    }

    [Fact]
    public async Task AContradictionIsSettledByTheLatestTurn()
    {
        using var service = world.Open();
        IChatClient client = new MenderChatClient(service);
        var user = world.Dataset.Users[2].ExternalId;

        var settled = await AskAsync(client, user, "no vanilla", "actually, I love vanilla");
        var direct = await AskAsync(client, user, "I love vanilla");

        Assert.Equal("loves vanilla", settled.Preference);
        Assert.Equal(direct.Items.Select(i => i.ItemId), settled.Items.Select(i => i.ItemId));
        Assert.DoesNotContain(settled.Notes, n => n.Contains("ranked last", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ANegativeStaysNegativeWhenLaterTurnsAddToIt()
    {
        using var service = world.Open();
        IChatClient client = new MenderChatClient(service);
        var user = world.Dataset.Users[4].ExternalId;

        var response = await AskAsync(client, user, "no vanilla", "something for dry hair", "I like lavender");

        Assert.Equal("avoids vanilla; something for dry hair; likes lavender", response.Preference);
        Assert.Equal(K, response.Items.Count);
        Assert.DoesNotContain(response.Items, IsVanilla);
    }
}
