using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Mender.Preference.Tests;

/// <summary>
/// A chat client that answers from a script: the n-th extraction prompt for the same window gets the n-th extraction
/// reply (the last one repeats), likewise for sentiment prompts. It records every call's options and can hold calls
/// until a number of them are in flight at once.
/// </summary>
internal sealed class ScriptedChatClient(string[] extractionReplies, string[] sentimentReplies) : IChatClient
{
    private readonly ConcurrentDictionary<string, int> asked = new();
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int inFlight;

    public ConcurrentQueue<(string Prompt, ChatOptions? Options)> Calls { get; } = new();

    /// <summary>When set, every call waits until this many calls are in flight together.</summary>
    public int HoldUntilInFlight { get; init; }

    /// <summary>When set, replies that are this text make the client throw instead.</summary>
    public string? ThrowOn { get; init; }

    /// <summary>What the client throws on <see cref="ThrowOn"/>: by default a failure that may not repeat.</summary>
    public Func<Exception> Failure { get; init; } = () => new InvalidOperationException("the model fell over");

    /// <summary>When set, the client says how many tokens a prompt takes and how many fit (the extractor fits prompts to it).</summary>
    public Mender.Llm.Adapters.IPromptBudget? Budget { get; init; }

    public int MaxInFlight { get; private set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = messages.Last().Text;
        Calls.Enqueue((prompt, options));
        var inFlight = Interlocked.Increment(ref this.inFlight);
        lock (gate) MaxInFlight = Math.Max(MaxInFlight, inFlight);
        try
        {
            if (HoldUntilInFlight > 0)
            {
                if (inFlight >= HoldUntilInFlight) gate.TrySetResult();
                await gate.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }
            var isSentiment = prompt.Contains("\"sentiments\"", StringComparison.Ordinal);
            var replies = isSentiment ? sentimentReplies : extractionReplies;
            var n = asked.AddOrUpdate(prompt, 0, (_, count) => count + 1);
            var reply = replies[Math.Min(n, replies.Length - 1)];
            if (reply == ThrowOn) throw Failure();
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
            {
                Usage = new UsageDetails { InputTokenCount = prompt.Length / 4, OutputTokenCount = reply.Length / 4 },
            };
        }
        finally
        {
            Interlocked.Decrement(ref this.inFlight);
        }
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the extractor does not stream");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, "scripted-model")
        : serviceType == typeof(Mender.Llm.Adapters.IPromptBudget) ? Budget
        : null;

    public void Dispose()
    {
    }
}
