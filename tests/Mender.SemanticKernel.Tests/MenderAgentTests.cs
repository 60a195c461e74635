using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace Mender.SemanticKernel.Tests;

public sealed class MenderAgentTests(PluginWorld world) : IClassFixture<PluginWorld>
{
    [Fact]
    public async Task TheKernelsAutomaticFunctionChoiceCallsRecommendAndTheReplyNamesItsItems()
    {
        var user = world.Service.Dataset.Users[5].ExternalId;
        using var model = new ScriptedToolCaller("recommend", new Dictionary<string, object?> { ["user_id"] = user, ["preference"] = "no fragrance", ["k"] = 4 });
        var agent = new MenderAgent(model, world.Service);

        var reply = await agent.AskAsync($"I am {user}. Something without fragrance, please.");

        Assert.Equal(["mender_recommend"], reply.Calls);
        using var result = JsonDocument.Parse(Assert.Single(model.Results));
        var ids = result.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item_id").GetString()!).ToList();
        Assert.Equal(4, ids.Count);
        Assert.All(ids, id => Assert.Contains(id, reply.Text));
        Assert.Equal("no fragrance", result.RootElement.GetProperty("preference").GetString());
        // The conversation keeps the call and its result for the next turn.
        var contents = agent.History.SelectMany(m => m.Items).ToList();
        Assert.Contains(contents, c => c is Microsoft.SemanticKernel.FunctionCallContent { FunctionName: "mender_recommend" });
        Assert.Contains(contents, c => c is Microsoft.SemanticKernel.FunctionResultContent);
        Assert.Equal(MenderAgent.DefaultInstructions, agent.History[0].Content);
        Assert.Single(agent.History, m => m.Content == reply.Text);
    }

    [Fact]
    public async Task AnEmptyMessageIsRefused()
    {
        using var model = new ScriptedToolCaller("recommend", new Dictionary<string, object?>());
        await Assert.ThrowsAsync<ArgumentException>(() => new MenderAgent(model, world.Service).AskAsync("  "));
    }
}
