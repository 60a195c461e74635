using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using ChatFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace Mender.Server.Tests;

/// <summary>
/// The server as a .NET developer meets it: the official OpenAI client, wrapped by Microsoft.Extensions.AI.OpenAI,
/// pointed at <c>/v1</c>, streaming a conversation whose turns refine the preference.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class OpenAiSdkTests(TrainedCheckpoint checkpoint) : IAsyncLifetime
{
    private TestHost host = null!;

    public async Task InitializeAsync() => host = await TestHost.InMemoryAsync(new ServerOptions { Service = checkpoint.Service });

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task AThreeTurnStreamedConversationGetsRealItemsEachTurn()
    {
        var sdk = new ChatClient("mender", new ApiKeyCredential("not-checked"), new OpenAIClientOptions
        {
            Endpoint = new Uri(host.Address, "/v1"),
            Transport = new HttpClientPipelineTransport(host.Client),
        });
        using var client = sdk.AsIChatClient();
        var user = checkpoint.Dataset.Users[3].ExternalId;
        var options = new ChatOptions
        {
            RawRepresentationFactory = _ => new ChatCompletionOptions { EndUserId = user, Metadata = { ["k"] = "5" } },
        };
        var known = checkpoint.Dataset.Items.Select(i => i.ExternalId).ToHashSet(StringComparer.Ordinal);
        var conversation = new List<ChatMessage> { new(ChatRole.System, "You recommend beauty products.") };
        string[] turns = ["something for dry skin", "no fragrance", "actually, I like vanilla"];
        var used = new List<string>();

        foreach (var turn in turns)
        {
            conversation.Add(new ChatMessage(ChatRole.User, turn));
            var updates = new List<ChatResponseUpdate>();
            await foreach (var update in client.GetStreamingResponseAsync(conversation, options))
                updates.Add(update);
            var reply = updates.ToChatResponse();
            conversation.AddMessages(reply);

            Assert.True(updates.Count >= 2, "the answer arrives as a stream of chunks");
            Assert.Equal(ChatFinishReason.Stop, reply.FinishReason);
            var lines = reply.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(6, lines.Length);
            var ids = lines[..5].Select(line => ItemIds().Matches(line).Select(m => m.Groups[1].Value).First(known.Contains)).ToList();
            Assert.Equal(5, ids.Distinct().Count());
            Assert.StartsWith("Preference used: ", lines[^1]);
            used.Add(lines[^1]["Preference used: ".Length..]);
        }

        Assert.Contains("dry skin", used[0]);
        Assert.Contains("avoids fragrance", used[1]);
        Assert.Contains("vanilla", used[2]);
        Assert.Equal(3, used.Distinct().Count());
    }

    [GeneratedRegex(@"\(([^(),\s]+)(?:, new)?\)")]
    private static partial Regex ItemIds();
}
