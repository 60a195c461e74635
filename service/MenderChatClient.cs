using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Mender.Preference.Conversation;
using Microsoft.Extensions.AI;

namespace Mender.Service;

/// <summary>
/// The recommender as an <see cref="IChatClient"/>, so .NET callers use it like any chat model: the user messages are
/// the turns of a conversation whose preferences build up (<see cref="ConversationPreference"/>: a later turn overrides
/// an earlier one it contradicts, negatives stay negative), and the combined preference is what the model is steered
/// by; <c>ChatOptions.AdditionalProperties</c> carry <c>user_id</c>, <c>history</c> (item ids, oldest
/// first: a list or a comma-separated string), <c>k</c>, <c>beam</c>, <c>reasoning</c> and <c>exclude_history</c>. The
/// answer's text is the numbered list of items with their reasons; the thought comes as <see cref="TextReasoningContent"/>,
/// and the <see cref="RecommendationResponse"/> is the raw representation (and <c>AdditionalProperties["recommendations"]</c>).
/// Streaming yields the thought's pieces as reasoning content, then the list.
/// </summary>
public sealed class MenderChatClient(RecommendationService service) : IChatClient
{
    /// <summary>Option key for the external id of the user whose stored history is used.</summary>
    public const string UserIdKey = "user_id";
    /// <summary>Option key for extra history item ids, oldest first: a list or a comma-separated string.</summary>
    public const string HistoryKey = "history";
    /// <summary>Option key for how many items to recommend.</summary>
    public const string KKey = "k";
    /// <summary>Option key for the beam width of the search.</summary>
    public const string BeamKey = "beam";
    /// <summary>Option key that turns reasoning mode on: the LLM thinks first and writes the preference.</summary>
    public const string ReasoningKey = "reasoning";
    /// <summary>Option key that leaves items already in the history out of the answer (on by default).</summary>
    public const string ExcludeHistoryKey = "exclude_history";
    /// <summary>Key under which the answer's <c>AdditionalProperties</c> carry the <see cref="RecommendationResponse"/>.</summary>
    public const string RecommendationsKey = "recommendations";

    private readonly ChatClientMetadata metadata = new("mender", null, service.ModelName);

    /// <summary>The service that answers the requests.</summary>
    public RecommendationService Service => service;

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var request = RequestOf(messages, options);
        var response = await service.RecommendAsync(request, cancellationToken).ConfigureAwait(false);
        var message = new ChatMessage(ChatRole.Assistant, Contents(response));
        return new ChatResponse(message)
        {
            ResponseId = Guid.NewGuid().ToString("N"),
            ModelId = service.ModelName,
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = ChatFinishReason.Stop,
            Usage = Usage(response),
            RawRepresentation = response,
            AdditionalProperties = new AdditionalPropertiesDictionary { [RecommendationsKey] = response },
        };
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = RequestOf(messages, options);
        var id = Guid.NewGuid().ToString("N");
        await foreach (var e in service.StreamAsync(request, cancellationToken).ConfigureAwait(false))
        {
            switch (e)
            {
                case ThoughtDelta delta:
                    yield return Update(id, [new TextReasoningContent(delta.Text)]);
                    break;
                case Completed done:
                    var update = Update(id, [new TextContent(ListText(done.Response)), new UsageContent(Usage(done.Response))]);
                    update.FinishReason = ChatFinishReason.Stop;
                    update.RawRepresentation = done.Response;
                    update.AdditionalProperties = new AdditionalPropertiesDictionary { [RecommendationsKey] = done.Response };
                    yield return update;
                    break;
            }
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata)) return metadata;
        if (serviceType == typeof(RecommendationService)) return service;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>The service belongs to whoever opened it.</summary>
    public void Dispose()
    {
    }

    /// <summary>The request a conversation and its options stand for.</summary>
    public static RecommendationRequest RequestOf(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var extra = options?.AdditionalProperties;
        var request = new RecommendationRequest
        {
            Turns = messages.Where(m => m.Role == ChatRole.User).Select(m => m.Text).ToList(),
            UserId = Text(extra, UserIdKey),
            History = Strings(extra, HistoryKey),
            Reasoning = Flag(extra, ReasoningKey) ?? false,
            ExcludeHistory = Flag(extra, ExcludeHistoryKey) ?? true,
            Beam = Number(extra, BeamKey),
        };
        if (Number(extra, KKey) is { } k) request = request with { K = k };
        if (options?.Temperature is { } temperature) request = request with { Temperature = temperature };
        if (options?.Seed is { } seed) request = request with { Seed = unchecked((ulong)seed) };
        return request;
    }

    /// <summary>The list as text: one numbered line per item with its reason, then the preference the model was steered by.</summary>
    public static string ListText(RecommendationResponse response)
    {
        var text = new StringBuilder();
        for (var i = 0; i < response.Items.Count; i++)
        {
            var item = response.Items[i];
            if (i > 0) text.Append('\n');
            text.Append((i + 1).ToString(CultureInfo.InvariantCulture)).Append(". ").Append(item.Title)
                .Append(" (").Append(item.ItemId).Append(item.ColdStart ? ", new" : "").Append(')');
            if (!string.IsNullOrEmpty(item.Reason)) text.Append(" — ").Append(item.Reason);
        }
        if (text.Length == 0) text.Append("No items to recommend.");
        if (response.Preference is { } preference && response.Mode == "mender") text.Append("\nPreference used: ").Append(preference);
        return text.ToString();
    }

    private static List<AIContent> Contents(RecommendationResponse response)
    {
        var contents = new List<AIContent>();
        if (response.Reasoning is { } thought) contents.Add(new TextReasoningContent(thought));
        contents.Add(new TextContent(ListText(response)));
        return contents;
    }

    private ChatResponseUpdate Update(string id, IList<AIContent> contents) => new(ChatRole.Assistant, contents)
    {
        ResponseId = id,
        ModelId = service.ModelName,
        CreatedAt = DateTimeOffset.UtcNow,
    };

    private static UsageDetails Usage(RecommendationResponse response) => new()
    {
        InputTokenCount = response.PromptTokens,
        OutputTokenCount = response.CompletionTokens,
        TotalTokenCount = response.PromptTokens + response.CompletionTokens,
    };

    private static string? Text(AdditionalPropertiesDictionary? extra, string key) =>
        extra?.TryGetValue(key, out var value) != true || value is null ? null : value switch
        {
            string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            JsonElement { ValueKind: JsonValueKind.Null } => null,
            JsonElement e => e.GetRawText(),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture),
        };

    private static IReadOnlyList<string>? Strings(AdditionalPropertiesDictionary? extra, string key)
    {
        if (extra?.TryGetValue(key, out var value) != true || value is null) return null;
        return value switch
        {
            string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            JsonElement { ValueKind: JsonValueKind.Array } e => e.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()).ToArray(),
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            JsonElement { ValueKind: JsonValueKind.Null } => null,
            IEnumerable<string> list => list.ToArray(),
            System.Collections.IEnumerable list => list.Cast<object?>().Select(o => Convert.ToString(o, CultureInfo.InvariantCulture) ?? "").ToArray(),
            _ => throw new ArgumentException($"{key} must be a list of item ids", "history"),
        };
    }

    private static int? Number(AdditionalPropertiesDictionary? extra, string key)
    {
        if (extra?.TryGetValue(key, out var value) != true || value is null) return null;
        return value switch
        {
            int i => i,
            long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
            JsonElement { ValueKind: JsonValueKind.Number } e when e.TryGetInt32(out var n) => n,
            JsonElement { ValueKind: JsonValueKind.Null } => null,
            JsonElement { ValueKind: JsonValueKind.String } e when int.TryParse(e.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            string s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => throw new ArgumentException($"{key} must be a whole number", key),
        };
    }

    private static bool? Flag(AdditionalPropertiesDictionary? extra, string key)
    {
        if (extra?.TryGetValue(key, out var value) != true || value is null) return null;
        return value switch
        {
            bool b => b,
            JsonElement { ValueKind: JsonValueKind.True } => true,
            JsonElement { ValueKind: JsonValueKind.False } => false,
            JsonElement { ValueKind: JsonValueKind.Null } => null,
            JsonElement { ValueKind: JsonValueKind.String } e when bool.TryParse(e.GetString(), out var b) => b,
            string s when bool.TryParse(s, out var b) => b,
            _ => throw new ArgumentException($"{key} must be true or false", key),
        };
    }
}
