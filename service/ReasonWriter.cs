using Mender.Data;

namespace Mender.Service;

/// <summary>
/// The one-line reason shown beside each recommended item, derived deterministically from text the user can check:
/// the item's tags and title words the preference asks for (a term the preference negates, as in "no fragrance", counts
/// only through a tag that says the item is free of it), else tags it shares with the most recent history item that
/// has any, else where the item came from.
/// </summary>
internal static class ReasonWriter
{
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "any", "are", "but", "for", "from", "good", "have", "i", "in", "is", "it", "its", "like", "likes",
        "looking", "me", "my", "need", "needs", "of", "on", "or", "prefer", "prefers", "product", "products", "some",
        "something", "that", "the", "this", "to", "want", "wants", "with", "would", "you", "your",
    };

    /// <summary>Words that negate the (up to two) words after them; "free" negates the word before it ("fragrance-free").</summary>
    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal) { "no", "not", "without", "avoid", "avoids", "non", "dislikes", "hate", "hates" };

    public static string Write(Item item, string? preference, IReadOnlyList<Item> history, bool coldStart)
    {
        if (!string.IsNullOrWhiteSpace(preference))
        {
            var matched = Matches(item, preference);
            if (matched.Count > 0) return "matches your request: " + string.Join(", ", matched.Take(3));
        }
        var tags = Tags(item);
        for (var i = history.Count - 1; i >= 0; i--)
        {
            var shared = Tags(history[i]).Where(t => tags.Contains(t, StringComparer.OrdinalIgnoreCase)).ToArray();
            if (shared.Length > 0)
                return $"shares {string.Join(", ", shared.Take(2))} with \"{Short(history[i].Title)}\" in your history";
        }
        return coldStart ? "new item whose description is close to your request" : "the model's pick for what follows your history";
    }

    /// <summary>The item's tags and title words that the preference asks for, in tag order.</summary>
    internal static IReadOnlyList<string> Matches(Item item, string preference)
    {
        var words = Words(preference);
        var negated = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            if (i >= 1 && Negations.Contains(words[i - 1]) || i >= 2 && Negations.Contains(words[i - 2])) negated.Add(words[i]);
            if (words[i] != "free") continue;
            if (i + 2 < words.Count && words[i + 1] == "of") negated.Add(words[i + 2]);
            else if (i >= 1) negated.Add(words[i - 1]);
        }
        var wanted = words.Where(w => w.Length >= 3 && w != "free" && !Ignored.Contains(w) && !Negations.Contains(w)).ToHashSet(StringComparer.Ordinal);
        var found = new List<string>();
        foreach (var tag in Tags(item).Concat([item.Title]))
        {
            var tagWords = Words(tag);
            var isFreeOf = tagWords.Contains("free") || tagWords.Contains("no");
            var hit = tagWords.Any(w => wanted.Contains(w) && (isFreeOf || !negated.Contains(w)));
            if (!hit) continue;
            if (tag == item.Title)
            {
                foreach (var w in tagWords.Where(w => wanted.Contains(w) && !negated.Contains(w)))
                    if (!found.Any(f => Words(f).Contains(w))) found.Add(w);
            }
            else if (!found.Contains(tag, StringComparer.OrdinalIgnoreCase)) found.Add(tag);
        }
        return found;
    }

    /// <summary>A long title cut at a word boundary, so that the reason stays one short line.</summary>
    private static string Short(string title)
    {
        const int max = 40;
        if (title.Length <= max) return title;
        var cut = title.LastIndexOf(' ', max);
        return (cut > max / 2 ? title[..cut] : title[..max]) + "…";
    }

    private static IReadOnlyList<string> Tags(Item item) =>
        item.Attributes.Concat(item.Categories).Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var letter = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (letter && start < 0) start = i;
            else if (!letter && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        return words;
    }
}
