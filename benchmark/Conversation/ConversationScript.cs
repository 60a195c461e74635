using System.Text.Json;
using System.Text.Json.Serialization;
using Mender.Data;

namespace Mender.Benchmark.Conversation;

/// <summary>
/// One turn of a scripted conversation: what the shopper says, and which items it is about (items carrying any of the
/// <see cref="Attributes"/>, or whose title holds <see cref="Title"/>), with whether the turn wants more of them or fewer.
/// </summary>
public sealed record ConversationTurn(string Say, IReadOnlyList<string>? Attributes, string? Title, string Want)
{
    /// <summary>True when the turn asks for more of its items, false when it asks for fewer.</summary>
    public bool WantsMore => Want == "more";

    /// <summary>Whether the turn is about the item.</summary>
    public bool Concerns(Item item) =>
        (Attributes is { } names && item.Attributes.Any(a => names.Contains(a, StringComparer.OrdinalIgnoreCase)))
        || (Title is { } phrase && item.Title.Contains(phrase, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A conversation to replay turn by turn, read from a JSON file (by default <c>tables/demo-conversation.json</c>).</summary>
public static class ConversationScript
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The demo conversation shipped beside the program.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "tables", "demo-conversation.json");

    /// <summary>
    /// Reads and checks a script; a missing file is a <see cref="FileNotFoundException"/>, a malformed one an
    /// <see cref="InvalidDataException"/>.
    /// </summary>
    /// <param name="path">The script's JSON file; null reads <see cref="DefaultPath"/>.</param>
    public static IReadOnlyList<ConversationTurn> Load(string? path = null)
    {
        path ??= DefaultPath;
        if (!File.Exists(path)) throw new FileNotFoundException($"the conversation script '{path}' does not exist", path);
        List<ConversationTurn>? turns;
        try
        {
            turns = JsonSerializer.Deserialize<List<ConversationTurn>>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a conversation script ({e.Message})", e);
        }
        if (turns is not { Count: > 0 }) throw new InvalidDataException($"{path}: the script has no turns");
        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i];
            if (string.IsNullOrWhiteSpace(turn.Say)) throw new InvalidDataException($"{path}: turn {i + 1} says nothing (\"say\")");
            if (turn.Want is not ("more" or "fewer")) throw new InvalidDataException($"{path}: turn {i + 1}: \"want\" must be \"more\" or \"fewer\", not '{turn.Want}'");
            if (turn.Attributes is not { Count: > 0 } && string.IsNullOrWhiteSpace(turn.Title))
                throw new InvalidDataException($"{path}: turn {i + 1} names no items to measure (\"attributes\" or \"title\")");
        }
        return turns;
    }
}
