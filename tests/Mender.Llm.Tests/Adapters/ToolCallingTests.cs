using System.ComponentModel;
using System.Text.Json;
using Mender.Llm.Adapters;
using Mender.Llm.Constraints;
using Microsoft.Extensions.AI;

namespace Mender.Llm.Tests.Adapters;

public sealed class ToolCallingTests(RandomQwenFixture randomQwen) : IClassFixture<RandomQwenFixture>
{
    public enum Size
    {
        Small,
        Large,
    }

    private static readonly AIFunction Pick = AIFunctionFactory.Create(
        ([Description("How big")] Size size, [Description("Without scent")] bool fragranceFree) => $"{size} {(fragranceFree ? "unscented" : "scented")} lotion",
        "pick_lotion", "Picks a lotion");

    [Fact]
    public void TheReplySchemaOffersEachToolWithItsParametersAndAnAnswerUnlessACallIsRequired()
    {
        var free = ToolCallProtocol.Schema([Pick], required: false);
        var choices = free.GetProperty("anyOf").EnumerateArray().ToList();
        Assert.Equal(2, choices.Count);
        Assert.Equal("pick_lotion", choices[0].GetProperty("properties").GetProperty("tool").GetProperty("const").GetString());
        Assert.Equal(Pick.JsonSchema.GetRawText(), choices[0].GetProperty("properties").GetProperty("arguments").GetRawText());
        Assert.True(choices[1].GetProperty("properties").TryGetProperty("answer", out _));
        Assert.Single(ToolCallProtocol.Schema([Pick], required: true).GetProperty("anyOf").EnumerateArray());
        Assert.Contains("root ::=", JsonSchemaGrammar.FromSchema(free));
        Assert.StartsWith("You can call these tools:\n- pick_lotion(size: string, fragranceFree: boolean): Picks a lotion\n",
            ToolCallProtocol.Instructions([Pick], required: false));
    }

    [Fact]
    public void RepliesParseIntoCallsOrAnswersAndCallsAreWrittenBackAsTheModelWroteThem()
    {
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(ToolCallProtocol.Parse("""{"tool": "pick_lotion", "arguments": {"size": "Large", "fragranceFree": true}}""").Contents));
        Assert.Equal("pick_lotion", call.Name);
        Assert.Equal("Large", ((JsonElement)call.Arguments!["size"]!).GetString());
        Assert.Equal("""{"tool":"pick_lotion","arguments":{"size":"Large","fragranceFree":true}}""", ToolCallProtocol.Text(new ChatMessage(ChatRole.Assistant, [call])));

        Assert.Equal("Try the large one.", ToolCallProtocol.Parse("""{"answer": "Try the large one."}""").Text);
        Assert.Equal("{\"answer\": \"cut sh", ToolCallProtocol.Parse("{\"answer\": \"cut sh").Text);
        var result = new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, "Large unscented lotion")]);
        Assert.Equal($"Result of tool call {call.CallId}: Large unscented lotion", ToolCallProtocol.Text(result));
    }

    [SharedFact]
    public async Task ARequiredToolIsCalledWithArgumentsOfItsSchemaAndTheInvokingClientRunsIt()
    {
        using var local = LocalChatClient.Open(randomQwen.Path, new LocalChatClientOptions { ContextLength = 1024, Model = new() { Threads = 2 } });
        var options = new ChatOptions { Tools = [Pick], ToolMode = ChatToolMode.RequireSpecific("pick_lotion"), Temperature = 1.0f, Seed = 5, MaxOutputTokens = 60 };

        var response = await local.GetResponseAsync([new ChatMessage(ChatRole.User, "I need a lotion.")], options);

        var call = Assert.IsType<FunctionCallContent>(Assert.Single(response.Messages.Single().Contents));
        Assert.Equal("pick_lotion", call.Name);
        Assert.Contains(((JsonElement)call.Arguments!["size"]!).GetString(), new[] { "Small", "Large" });
        Assert.Contains(((JsonElement)call.Arguments["fragranceFree"]!).ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });

        // Through the function-invoking client the call runs and its result goes back to the model, which then replies.
        using var invoking = new ChatClientBuilder(local).UseFunctionInvocation(configure: c => c.MaximumIterationsPerRequest = 1).Build();
        var auto = new ChatOptions { Tools = [Pick], ToolMode = ChatToolMode.Auto, Temperature = 1.0f, Seed = 5, MaxOutputTokens = 60 };
        var turn = await invoking.GetResponseAsync([new ChatMessage(ChatRole.User, "I need a lotion.")], auto);
        var results = turn.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        var calls = turn.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(calls.Count, results.Count);
        Assert.All(results, r => Assert.EndsWith("lotion", Assert.IsType<string>(((JsonElement)r.Result!).GetString())));
    }
}
