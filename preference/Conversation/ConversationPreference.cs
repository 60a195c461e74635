using System.Text.RegularExpressions;
using Mender.Preference.Sentiment;

namespace Mender.Preference.Conversation;

/// <summary>
/// Combines what a shopper asks for over the turns of a conversation into one preference, without a model. Each turn
/// is split into statements ("something for dry skin, no fragrance" is two); spoken phrasing is read as the
/// preference phrasing the rest of the pipeline knows ("I don't want X", "no more X", "not another X" avoid X; "I
/// love X" likes X); and a statement replaces every earlier one about the same thing with the opposite polarity, or
/// the same one restated, so the latest word on a topic wins. Topics are compared by their content words: "no
/// fragrance" overrides "likes fragrance" but leaves "likes vanilla" alone (a model-based combiner can know better).
/// </summary>
public static partial class ConversationPreference
{
    /// <summary>The combined preference of the user turns, oldest first.</summary>
    public static CombinedPreference Combine(IEnumerable<string> userTurns)
    {
        var parts = new List<(UserPreference Preference, HashSet<string> Topic)>();
        foreach (var turn in userTurns)
            foreach (var statement in Statements(turn))
            {
                var preference = Read(statement);
                var topic = Topic(preference);
                if (topic.Count == 0) continue;
                parts.RemoveAll(p => p.Topic.Overlaps(topic) && (p.Preference.Sentiment != preference.Sentiment || p.Topic.SetEquals(topic)));
                parts.Add((preference, topic));
            }
        return new CombinedPreference(parts.Select(p => p.Preference).ToList());
    }

    /// <summary>One typed preference read the same way ("for dry skin, no fragrance" has a positive and a negative part).</summary>
    public static CombinedPreference Of(string preference) => Combine([preference]);

    /// <summary>The statements of one turn: sentences, and clauses joined by "but" or opened by a negation after a comma.</summary>
    internal static IEnumerable<string> Statements(string turn) =>
        StatementBreak().Split(turn).Select(s => s.Trim().Trim(',', ' ')).Where(s => s.Length > 0);

    /// <summary>A statement as a preference in the pipeline's phrasing, with the polarity the lexicon reads in it.</summary>
    internal static UserPreference Read(string statement)
    {
        var text = statement;
        for (var previous = ""; previous != text;)
        {
            previous = text;
            text = Filler().Replace(text, "");
        }
        text = Avoiding().Replace(text, "avoids ");
        text = Wanting().Replace(text, m => Verb(m.Groups["verb"].Value) + " ");
        text = text.Trim();
        return new UserPreference(text, LexiconSentimentClassifier.Classify(text));
    }

    /// <summary>The content words a preference is about (its positive form, without the wanting verb and small words).</summary>
    internal static HashSet<string> Topic(UserPreference preference)
    {
        var about = preference.Sentiment == PreferenceSentiment.Negative
            ? PositiveForm.For(preference)
            : LexiconSentimentClassifier.StripPositiveLead(preference.Text);
        return Word().Matches(about.ToLowerInvariant()).Select(m => Stem(m.Value)).Where(w => w.Length > 2 && !SmallWords.Contains(w)).ToHashSet();
    }

    internal static string Stem(string word) => word.Length > 4 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1] : word;

    private static string Verb(string spoken) => spoken.ToLowerInvariant() switch
    {
        "love" => "loves",
        "like" => "likes",
        "want" => "wants",
        "need" => "needs",
        "prefer" => "prefers",
        _ => "looks for",
    };

    private static readonly HashSet<string> SmallWords =
    [
        "the", "and", "for", "with", "something", "anything", "thing", "things", "some", "any", "one", "ones", "that", "this", "more",
        "really", "very", "please", "product", "products", "item", "items", "stuff", "kind", "sort", "type", "another", "other",
    ];

    [GeneratedRegex(@"[.;!?\n]+|,?\s+but\s+|,\s*(?=(?:no|not|without|never|nothing|avoid)\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StatementBreak();

    [GeneratedRegex(@"^\s*(?:actually|oh|ok(?:ay)?|well|hmm+|also|and|but|please|now|then|instead|maybe|so|hi|hey|i\s+think|i\s+guess)\b[\s,]*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Filler();

    [GeneratedRegex(
        @"^(?:i\s+(?:do\s+not|don't|dont)\s+(?:want|like|need)|i\s+(?:hate|dislike|can't\s+stand|cannot\s+stand)|i'm\s+allergic\s+to|i\s+am\s+allergic\s+to|" +
        @"not\s+another|no\s+more|no|nothing\s+with|nothing\s+that\s+has|without|anything\s+but|skip\s+the|not\s+(?:a|an|the|any)?)\b\s*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Avoiding();

    [GeneratedRegex(@"^i(?:'d|\s+would)?\s+(?:really\s+)?(?<verb>love|like|want|need|prefer)\b\s*|^(?:i'm|i\s+am)?\s*(?<verb>looking)\s+for\b\s*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Wanting();

    [GeneratedRegex(@"[a-z0-9]+")]
    private static partial Regex Word();
}
