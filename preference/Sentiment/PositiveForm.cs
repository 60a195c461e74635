using System.Text.RegularExpressions;

namespace Mender.Preference.Sentiment;

/// <summary>
/// Rewrites a negative preference into the positive form used for matching, as Mender does: the thing to avoid is what
/// an item must resemble for the preference to concern it ("avoids glitter" → "glitter"). Without the rewrite, the
/// negation words would pull the embedding toward unrelated items. Positive preferences are left as they are.
/// </summary>
public static partial class PositiveForm
{
    /// <summary>The text to match items against: a negative preference rewritten, a positive one unchanged.</summary>
    public static string For(UserPreference preference) =>
        preference.Sentiment == PreferenceSentiment.Negative ? Rewrite(preference.Text) : preference.Text;

    /// <summary>Strips the leading "avoids", "dislikes", "does not want", ... from a preference; returns the rest.</summary>
    public static string Rewrite(string text)
    {
        var trimmed = text.Trim().TrimEnd('.', '!', ';');
        var match = NegativeLead().Match(trimmed);
        if (!match.Success) return trimmed;
        var rest = trimmed[match.Length..].Trim();
        return rest.Length == 0 ? trimmed : rest;
    }

    [GeneratedRegex(
        @"^(?:(?:the\s+)?(?:user|shopper|customer|they|he|she)\s+)?(?:(?:strongly|really|generally|usually|tends\s+to|clearly|definitely)\s+)?" +
        @"(?:avoids?|avoiding|dislikes?|disliking|hates?|hating|detests?|rejects?|refuses|" +
        @"(?:does\s+not|doesn't|do\s+not|don't|did\s+not|didn't|would\s+not|wouldn't|will\s+not|won't)\s+(?:like|want|enjoy|care\s+for|use|tolerate|buy)|" +
        @"(?:wants?|wishes|prefers?|tries|likes?)\s+to\s+(?:avoid|stay\s+away\s+from|steer\s+clear\s+of)|" +
        @"(?:stays?|keeps?)\s+away\s+from|steers?\s+clear\s+of|" +
        @"(?:is|are)\s+(?:not|n't)\s+(?:a\s+)?fans?\s+of|(?:is|are)n't\s+(?:a\s+)?fans?\s+of|not\s+(?:a\s+)?fans?\s+of|" +
        @"(?:can't|cannot|can\s+not)\s+(?:stand|tolerate|use)|" +
        @"(?:is|are)\s+(?:put\s+off|bothered|irritated|turned\s+off)\s+by|" +
        @"(?:is|are)\s+(?:sensitive|allergic)\s+to|" +
        @"(?:wants?|prefers?)\s+no|no\s+longer\s+(?:wants?|likes?|uses?)|" +
        @"(?:has|had)\s+(?:bad|poor|negative)\s+experiences?\s+with|complains?\s+about|" +
        @"(?:finds?|found)\s+(?:unappealing|unpleasant)|no)\b[\s:,-]*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex NegativeLead();
}
