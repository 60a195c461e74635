using System.Text.Json;
using Mender.Preference.Sentiment;

namespace Mender.Preference.Extraction;

/// <summary>
/// The JSON the prompts ask for, its schemas (sent as <c>ChatOptions.ResponseFormat</c>, which a constrained decoder
/// turns into a token constraint) and strict parsing of replies. A reply is usable only when it parses and, after
/// dropping blanks, duplicates and sentences about delivery or price, still holds at least one preference.
/// </summary>
public static class PreferenceJson
{
    /// <summary>Longest preference a constrained decoder may write, in characters: a short phrase, never a paragraph.</summary>
    public const int MaxPreferenceChars = 120;

    /// <summary>
    /// <c>{"preferences": [string, ...]}</c> with 1 to <paramref name="max"/> entries. The bounds are part of the schema so that
    /// a constrained decoder cannot ramble; clients that ignore them are held to them by the parser.
    /// </summary>
    public static JsonElement ExtractionSchema(int max) => Parse($$$"""
        {"type":"object","properties":{"preferences":{"type":"array","items":{"type":"string","minLength":3,"maxLength":{{{MaxPreferenceChars}}}},"minItems":1,"maxItems":{{{max}}}}},"required":["preferences"],"additionalProperties":false}
        """);

    /// <summary><c>{"sentiments": ["positive" | "negative", ...]}</c> with exactly <paramref name="count"/> entries.</summary>
    public static JsonElement SentimentSchema(int count) => Parse($$$"""
        {"type":"object","properties":{"sentiments":{"type":"array","items":{"type":"string","enum":["positive","negative"]},"minItems":{{{count}}},"maxItems":{{{count}}}}},"required":["sentiments"],"additionalProperties":false}
        """);

    private static readonly string[] OffTopicWords =
    [
        "shipping", "shipped", "delivery", "delivered", "arrived", "seller", "amazon", "price", "priced", "pricey", "expensive",
        "inexpensive", "cheap", "affordable", "cost", "money", "dollar", "bargain", "discount", "value for", "prices", "costs", "dollars",
    ];

    /// <summary>Reads <c>{"preferences": [...]}</c>; on failure returns null and says why.</summary>
    public static IReadOnlyList<string>? ParsePreferences(string? reply, int max, IEnumerable<string> forbiddenNames, out string? error)
    {
        if (!TryParseObject(reply, out var root, out error)) return null;
        if (!root.TryGetProperty("preferences", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            error = "malformed output: no \"preferences\" array";
            return null;
        }
        var names = forbiddenNames.Where(n => n.Length >= 3).ToArray();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var kept = new List<string>();
        var dropped = 0;
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                error = "malformed output: \"preferences\" holds a " + element.ValueKind.ToString().ToLowerInvariant() + ", not a string";
                return null;
            }
            var text = Clean(element.GetString()!);
            if (text.Length == 0 || !seen.Add(text)) continue;
            if (Mentions(text, OffTopicWords) || Mentions(text, names))
            {
                dropped++;
                continue;
            }
            kept.Add(text);
        }
        if (kept.Count == 0)
        {
            error = dropped > 0
                ? $"empty output: all {dropped} preference(s) named a brand or spoke of delivery or price"
                : "empty output: no preferences";
            return null;
        }
        error = null;
        return kept.Take(max).ToList();
    }

    /// <summary>
    /// <c>{"preferences": [{"text": string, "sentiment": "positive" | "negative"}, ...]}</c> with 1 to <paramref name="max"/>
    /// entries: a conversation rewritten into the preferences that hold at its end.
    /// </summary>
    public static JsonElement ConversationSchema(int max) => Parse($$$"""
        {"type":"object","properties":{"preferences":{"type":"array","items":{"type":"object","properties":{"text":{"type":"string","minLength":3,"maxLength":{{{MaxPreferenceChars}}}},"sentiment":{"type":"string","enum":["positive","negative"]}},"required":["text","sentiment"],"additionalProperties":false},"minItems":1,"maxItems":{{{max}}}}},"required":["preferences"],"additionalProperties":false}
        """);

    /// <summary>Reads <c>{"preferences": [{"text", "sentiment"}, ...]}</c>; on failure returns null and says why.</summary>
    public static IReadOnlyList<UserPreference>? ParseConversation(string? reply, int max, out string? error)
    {
        if (!TryParseObject(reply, out var root, out error)) return null;
        if (!root.TryGetProperty("preferences", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            error = "malformed output: no \"preferences\" array";
            return null;
        }
        var kept = new List<UserPreference>();
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object
                || !element.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String
                || !element.TryGetProperty("sentiment", out var sentiment) || sentiment.GetString() is not ("positive" or "negative"))
            {
                error = "malformed output: each preference needs a \"text\" and a \"sentiment\" of positive or negative";
                return null;
            }
            var cleaned = Clean(text.GetString()!);
            if (cleaned.Length > 0)
                kept.Add(new UserPreference(cleaned, sentiment.GetString() == "positive" ? PreferenceSentiment.Positive : PreferenceSentiment.Negative));
        }
        if (kept.Count == 0)
        {
            error = "empty output: no preferences";
            return null;
        }
        error = null;
        return kept.Take(max).ToList();
    }

    /// <summary>Reads <c>{"sentiments": [...]}</c> with exactly <paramref name="count"/> entries.</summary>
    public static IReadOnlyList<PreferenceSentiment>? ParseSentiments(string? reply, int count, out string? error)
    {
        if (!TryParseObject(reply, out var root, out error)) return null;
        if (!root.TryGetProperty("sentiments", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            error = "malformed output: no \"sentiments\" array";
            return null;
        }
        var sentiments = new List<PreferenceSentiment>();
        foreach (var element in array.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.String || !PreferenceSentimentNames.TryParse(element.GetString(), out var sentiment))
            {
                error = "malformed output: a sentiment is neither \"positive\" nor \"negative\"";
                return null;
            }
            sentiments.Add(sentiment);
        }
        if (sentiments.Count != count)
        {
            error = $"malformed output: {sentiments.Count} sentiment(s) for {count} preference(s)";
            return null;
        }
        error = null;
        return sentiments;
    }

    /// <summary>
    /// Parses a JSON object. Clients without a JSON constraint often wrap the answer in a Markdown fence or a sentence,
    /// so the outermost braces are taken; anything that still does not parse is malformed.
    /// </summary>
    private static bool TryParseObject(string? reply, out JsonElement root, out string? error)
    {
        root = default;
        if (string.IsNullOrWhiteSpace(reply))
        {
            error = "empty output: the model returned no text";
            return false;
        }
        var open = reply.IndexOf('{');
        var close = reply.LastIndexOf('}');
        if (open < 0 || close < open)
        {
            error = "malformed output: no JSON object in " + Excerpt(reply);
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(reply.AsMemory(open, close - open + 1));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "malformed output: the JSON is not an object";
                return false;
            }
            root = document.RootElement.Clone();
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = $"malformed output: {ex.Message} in {Excerpt(reply)}";
            return false;
        }
    }

    private static string Clean(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Trim().TrimEnd('.', ';', ',').Trim();

    private static bool Mentions(string text, IEnumerable<string> words)
    {
        foreach (var word in words)
        {
            var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase);
            while (at >= 0)
            {
                var before = at == 0 || !char.IsLetterOrDigit(text[at - 1]);
                var after = at + word.Length == text.Length || !char.IsLetterOrDigit(text[at + word.Length]);
                if (before && after) return true;
                at = text.IndexOf(word, at + 1, StringComparison.OrdinalIgnoreCase);
            }
        }
        return false;
    }

    private static string Excerpt(string text)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return "\"" + (flat.Length <= 80 ? flat : flat[..80] + "...") + "\"";
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
