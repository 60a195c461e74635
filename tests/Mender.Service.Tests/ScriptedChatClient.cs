using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Mender.Service.Tests;

/// <summary>A chat client that streams each call's scripted pieces in turn and records the prompts it was sent.</summary>
internal sealed class ScriptedChatClient(params string[][] replies) : IChatClient
{
    private int next;

    public List<string> Prompts { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Prompts.Add(messages.Last().Text);
        var reply = next < replies.Length ? replies[next++] : [];
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, string.Concat(reply))));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Prompts.Add(messages.Last().Text);
        var reply = next < replies.Length ? replies[next++] : [];
        foreach (var piece in reply)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, piece);
        }
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 100, OutputTokenCount = reply.Length })]);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, "scripted-model") : null;

    public void Dispose()
    {
    }
}
