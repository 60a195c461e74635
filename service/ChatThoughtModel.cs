using Mender.Preference.Prompts;
using Microsoft.Extensions.AI;

namespace Mender.Service;

/// <summary>
/// <see cref="IThoughtModel"/> over any <see cref="IChatClient"/> (a remote model, another engine): a chat API cannot
/// leave an answer open, so each call sends the reasoning prompt with the answer so far inside the continuation prompt
/// (the <c>ReasoningContinuation</c> prompt) and asks for the rest of the line. Stop strings are enforced here as well,
/// since not every client honours them, and text that might be the start of one is held back until it is decided, so
/// what streams is exactly what the answer keeps. Token counts come from the client's usage report, else are estimated
/// at four characters per token.
/// </summary>
internal sealed class ChatThoughtModel(IChatClient client, PromptTemplate continuation, int contextLength = 4096) : IThoughtModel
{
    public const string PromptName = "ReasoningContinuation";

    public string Name { get; } = client.GetService<ChatClientMetadata>()?.DefaultModelId ?? "chat";

    public int ContextLength => contextLength;

    public static PromptTemplate LoadPrompt(string? directory) => PromptLibrary.Template(directory, PromptName, "prompt", "answer");

    public int CountTokens(string prompt, string answerSoFar) => Estimate(Render(prompt, answerSoFar));

    public async Task<Continuation> ContinueAsync(string prompt, string answerSoFar, int maxTokens, IReadOnlyList<string> stops,
        Action<string> onText, CancellationToken cancellationToken)
    {
        var message = Render(prompt, answerSoFar);
        var options = new ChatOptions { MaxOutputTokens = maxTokens, StopSequences = [.. stops], Temperature = 0 };
        var text = "";
        var sent = 0;
        long? input = null, output = null;
        // Leaving the loop early disposes the stream, which ends the client's generation.
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, message)], options, cancellationToken).ConfigureAwait(false))
        {
            foreach (var usage in update.Contents.OfType<UsageContent>())
                (input, output) = (usage.Details.InputTokenCount ?? input, usage.Details.OutputTokenCount ?? output);
            text += update.Text;
            var cut = FirstStop(text, stops);
            if (cut >= 0)
            {
                text = text[..cut];
                break;
            }
            var safe = text.Length - HeldBack(text, stops);
            if (safe > sent)
            {
                onText(text[sent..safe]);
                sent = safe;
            }
        }
        if (text.Length > sent) onText(text[sent..]);
        return new Continuation(text, (int)(input ?? Estimate(message)), (int)(output ?? Estimate(text)));
    }

    private string Render(string prompt, string answerSoFar) =>
        continuation.Render(new Dictionary<string, string> { ["prompt"] = prompt, ["answer"] = answerSoFar });

    private static int Estimate(string text) => (text.Length + 3) / 4;

    private static int FirstStop(string text, IReadOnlyList<string> stops)
    {
        var first = -1;
        foreach (var s in stops)
        {
            var at = text.IndexOf(s, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }

    /// <summary>The length of the longest end of <paramref name="text"/> that could still grow into a stop string.</summary>
    private static int HeldBack(string text, IReadOnlyList<string> stops)
    {
        var longest = 0;
        foreach (var s in stops)
            for (var n = Math.Min(s.Length - 1, text.Length); n > longest; n--)
                if (text.AsSpan(text.Length - n).SequenceEqual(s.AsSpan(0, n)))
                {
                    longest = n;
                    break;
                }
        return longest;
    }

    /// <summary>The client belongs to whoever made it.</summary>
    public void Dispose()
    {
    }
}
