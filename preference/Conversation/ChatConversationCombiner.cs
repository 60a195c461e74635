using System.Globalization;
using System.Text;
using Mender.Preference.Extraction;
using Mender.Preference.Prompts;
using Microsoft.Extensions.AI;

namespace Mender.Preference.Conversation;

/// <summary>What an LLM made of a conversation: the combined preference, or why it could not, and the tokens it used.</summary>
public sealed record CombinationAttempt(CombinedPreference? Preference, string? Error, long InputTokens, long OutputTokens);

/// <summary>
/// Combines the turns of a conversation with an LLM, which knows what the rules of <see cref="ConversationPreference"/>
/// cannot ("no fragrance" and "I like vanilla" contradict each other; "something for my mum" is not about the shopper's
/// skin). The model rewrites the turns into the preferences that hold at the end (the <c>ConversationPreference</c>
/// prompt), under a JSON schema so a constrained decoder can only write a usable answer. A failed answer is reported,
/// not guessed at: the caller falls back to the rules.
/// </summary>
public sealed class ChatConversationCombiner(IChatClient client, PromptTemplate prompt)
{
    /// <summary>The name of the prompt that combines conversation turns, as its folder under the prompts directory.</summary>
    public const string PromptName = "ConversationPreference";
    private const int MaxPreferences = 8;
    private const int MaxTokens = 384;

    /// <summary>The shipped prompt (or that of <paramref name="directory"/>).</summary>
    public static PromptTemplate LoadPrompt(string? directory) => PromptLibrary.Template(directory, PromptName, "turns");

    /// <summary>Asks the chat model to merge a shopper's turns into one current preference, later turns overriding earlier ones.</summary>
    public async Task<CombinationAttempt> CombineAsync(IReadOnlyList<string> turns, CancellationToken cancellationToken = default)
    {
        var text = prompt.Render(new Dictionary<string, string> { ["turns"] = Numbered(turns) });
        var options = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(PreferenceJson.ConversationSchema(MaxPreferences), "preferences"),
            MaxOutputTokens = MaxTokens,
            Temperature = 0,
        };
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, text)], options, cancellationToken).ConfigureAwait(false);
        var (input, output) = (response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0);
        var parts = PreferenceJson.ParseConversation(response.Text, MaxPreferences, out var error);
        return new CombinationAttempt(parts is null ? null : new CombinedPreference(parts), error, input, output);
    }

    private static string Numbered(IReadOnlyList<string> turns)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < turns.Count; i++)
        {
            if (i > 0) builder.Append('\n');
            builder.Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append(". ")
                .Append(string.Join(' ', turns[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        }
        return builder.ToString();
    }
}
