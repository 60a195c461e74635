using System.Text.RegularExpressions;
using Mender.Preference.Sentiment;

namespace Mender.Preference.Conversation;

/// <summary>
/// What a preference says to avoid, as words an item's text can be checked against. The model is steered away from
/// avoided things only softly (through the polar encoding); a shopper who said "no vanilla" should not see an item
/// called "Vanilla Body Mist", so the recommender ranks candidates that name an avoided topic last. An item names a
/// topic when its text holds every content word of it, and a word followed by "free" does not count ("Fragrance-Free"
/// names no fragrance).
/// </summary>
public sealed partial class AvoidedTopics
{
    private readonly IReadOnlyList<HashSet<string>> topics;

    private AvoidedTopics(IReadOnlyList<HashSet<string>> topics) => this.topics = topics;

    /// <summary>No topic avoided.</summary>
    public static AvoidedTopics None { get; } = new([]);

    /// <summary>True when nothing is to be avoided, so ranking can skip the check.</summary>
    public bool IsEmpty => topics.Count == 0;

    /// <summary>The negative parts of a typed or combined preference ("for dry skin; avoids vanilla" avoids "vanilla").</summary>
    public static AvoidedTopics Of(string? preference) =>
        string.IsNullOrWhiteSpace(preference) ? None : Of(ConversationPreference.Of(preference));

    /// <summary>The topics the negative parts of a combined preference ask to avoid.</summary>
    public static AvoidedTopics Of(CombinedPreference preference)
    {
        var topics = preference.Negative.Select(ConversationPreference.Topic).Where(t => t.Count > 0).ToList();
        return topics.Count == 0 ? None : new AvoidedTopics(topics);
    }

    /// <summary>Whether the text (an item's title, attributes, categories) names any avoided topic.</summary>
    public bool Names(string text)
    {
        if (IsEmpty) return false;
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match word in Word().Matches(text.ToLowerInvariant()))
            if (!word.Groups["free"].Success)
                words.Add(ConversationPreference.Stem(word.Groups["word"].Value));
        return topics.Any(topic => topic.IsSubsetOf(words));
    }

    /// <summary>The candidates in their order, those that name an avoided topic moved behind the rest.</summary>
    public List<T> RankLast<T>(IEnumerable<T> candidates, Func<T, string> text, out int moved)
    {
        var list = candidates.ToList();
        moved = 0;
        if (IsEmpty) return list;
        var names = list.Select(c => Names(text(c))).ToArray();
        moved = names.Count(n => n);
        return [.. list.Where((_, i) => !names[i]), .. list.Where((_, i) => names[i])];
    }

    [GeneratedRegex(@"(?<word>[a-z0-9]+)(?<free>[\s-]free\b)?")]
    private static partial Regex Word();
}
