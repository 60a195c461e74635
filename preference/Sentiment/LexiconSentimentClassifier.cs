using System.Text.RegularExpressions;
using Mender.Preference.Lexicon;

namespace Mender.Preference.Sentiment;

/// <summary>
/// Decides the sentiment of a preference sentence without a model: a sentence that opens with an avoiding verb
/// ("avoids", "does not like", "stays away from") is negative, one that opens with a wanting verb ("likes", "prefers
/// fragrance-free ...") is positive, and otherwise the opinion words decide (ties count as positive, since
/// preferences mostly state wishes). Used by the built-in path and when a sentiment prompt gives no usable answer.
/// </summary>
public static partial class LexiconSentimentClassifier
{
    /// <summary>The name recorded when the lexicon, not a prompt, decided a sentiment.</summary>
    public const string Source = "lexicon";

    /// <summary>Decides from its wording whether a preference is something wanted or something to avoid.</summary>
    public static PreferenceSentiment Classify(string preference)
    {
        var text = preference.Trim();
        if (!string.Equals(PositiveForm.Rewrite(text), text.TrimEnd('.', '!', ';'), StringComparison.Ordinal))
            return PreferenceSentiment.Negative;
        if (PositiveLead().IsMatch(text))
            return PreferenceSentiment.Positive;
        var tokens = ClauseTokenizer.Clauses(text).SelectMany(c => c).ToArray();
        return SentimentLexicon.ClauseScore(tokens) < 0 ? PreferenceSentiment.Negative : PreferenceSentiment.Positive;
    }

    /// <summary>The text without its leading wanting verb ("likes", "the user prefers", ...); the text itself when it has none.</summary>
    public static string StripPositiveLead(string preference)
    {
        var text = preference.Trim();
        var match = PositiveLead().Match(text);
        return match.Success ? text[match.Length..].Trim() : text;
    }

    [GeneratedRegex(
        @"^(?:(?:the\s+)?(?:user|shopper|customer|they|he|she)\s+)?(?:(?:strongly|really|generally|usually|clearly|definitely)\s+)?" +
        @"(?:likes?|loves?|prefers?|wants?|enjoys?|favou?rs?|seeks?|values?|appreciates?|needs?|looks?\s+for|is\s+drawn\s+to|goes\s+for|is\s+a\s+fan\s+of)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PositiveLead();
}
