using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace Mender.SemanticKernel.Tests;

public sealed class MenderPluginTests(PluginWorld world) : IClassFixture<PluginWorld>
{
    private Kernel KernelWithPlugin()
    {
        var kernel = Kernel.CreateBuilder().Build();
        kernel.Plugins.AddFromObject(new MenderPlugin(world.Service), "mender");
        return kernel;
    }

    [Fact]
    public void TheFunctionsDescribeThemselvesForFunctionCalling()
    {
        var plugin = KernelWithPlugin().Plugins["mender"];
        Assert.Equal(["explain", "extract_preferences", "find_items", "recommend"], plugin.Select(f => f.Name).Order());
        var recommend = plugin["recommend"].Metadata;
        Assert.False(string.IsNullOrWhiteSpace(recommend.Description));
        Assert.Equal(["user_id", "history", "preference", "k"], recommend.Parameters.Select(p => p.Name));
        Assert.All(recommend.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
        Assert.Contains("integer", plugin["recommend"].JsonSchema.ToString());
    }

    [Fact]
    public async Task AScriptedModelCallsRecommendAndAnswersWithItsItems()
    {
        var kernel = KernelWithPlugin();
        var user = world.Service.Dataset.Users[3].ExternalId;
        var scripted = new ScriptedToolCaller("recommend", new Dictionary<string, object?> { ["user_id"] = user, ["preference"] = "something fragrance-free", ["k"] = 3 });
        // Kernel functions find their kernel among the services the function-invoking client passes them.
        using var services = new ServiceCollection().AddSingleton(kernel).BuildServiceProvider();
        using var client = new ChatClientBuilder(scripted).UseFunctionInvocation(configure: c => c.IncludeDetailedErrors = true).Build(services);
        var tools = kernel.Plugins["mender"].Select(f => (AITool)f).ToList();

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "What should I buy next? Nothing with fragrance.")],
            new ChatOptions { Tools = tools, ToolMode = ChatToolMode.Auto });

        var result = Assert.Single(scripted.Results);
        Assert.StartsWith("{", result);
        using var document = JsonDocument.Parse(result);
        var ids = document.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item_id").GetString()!).ToList();
        Assert.Equal(3, ids.Count);
        var catalogue = world.Service.Dataset.Items.Select(i => i.ExternalId).ToHashSet();
        Assert.All(ids, id => Assert.Contains(id, catalogue));
        Assert.Equal("something fragrance-free", document.RootElement.GetProperty("preference").GetString());
        Assert.All(ids, id => Assert.Contains(id, response.Text));
    }

    [Fact]
    public async Task FindItemsAndExplainAnswerFromTheCatalogue()
    {
        var kernel = KernelWithPlugin();
        var item = world.Service.Dataset.Items[7];
        var found = await kernel.InvokeAsync<IReadOnlyList<FoundProduct>>("mender", "find_items", new KernelArguments { ["query"] = item.Title, ["k"] = 5 });
        Assert.Equal(item.ExternalId, found![0].ItemId);

        var user = world.Service.Dataset.Users[0];
        var reason = await kernel.InvokeAsync<string>("mender", "explain", new KernelArguments { ["item_id"] = item.ExternalId, ["user_id"] = user.ExternalId });
        Assert.False(string.IsNullOrWhiteSpace(reason));
        await Assert.ThrowsAnyAsync<Exception>(() => kernel.InvokeAsync("mender", "explain", new KernelArguments { ["item_id"] = "no-such-item" }));

        var preferences = await kernel.InvokeAsync<IReadOnlyList<StatedPreference>>("mender", "extract_preferences",
            new KernelArguments { ["reviews"] = new[] { "I love the lavender scent but it felt greasy on my skin." } });
        Assert.NotEmpty(preferences!);
    }
}
