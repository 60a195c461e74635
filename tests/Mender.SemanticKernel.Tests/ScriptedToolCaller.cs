using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Mender.SemanticKernel.Tests;

/// <summary>
/// A chat model that, asked with tools, calls the one whose name ends with <paramref name="function"/> with the given
/// arguments, then answers with the function's result once it comes back: the part a real function-calling model plays.
/// </summary>
internal sealed class ScriptedToolCaller(string function, IDictionary<string, object?> arguments) : IChatClient
{
    public List<string> Results { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var results = messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        if (results.Count > 0)
        {
            var text = results[^1].Result is JsonElement json ? json.GetRawText() : Convert.ToString(results[^1].Result) ?? "";
            Results.Add(text);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Here is what I found: " + text)));
        }
        var tool = options?.Tools?.OfType<AIFunction>().FirstOrDefault(t => t.Name.EndsWith(function, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no tool named *{function} was offered");
        var call = new FunctionCallContent("call-1", tool.Name, arguments);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, [call])));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) => throw new NotSupportedException("the script does not stream");

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
