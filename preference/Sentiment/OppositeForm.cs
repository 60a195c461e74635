namespace Mender.Preference.Sentiment;

/// <summary>
/// The same preference with the other polarity, as the sentiment axis asks it: "avoids glitter" ↔ "likes glitter",
/// "prefers fragrance-free products" ↔ "avoids fragrance-free products". The thing the preference is about stays as the
/// user's text says it; only the leading verb changes, in the built-in extractor's own phrasing.
/// </summary>
public static class OppositeForm
{
    /// <summary>The verb that introduces a wanted thing.</summary>
    public const string PositiveVerb = "likes";
    /// <summary>The verb that introduces a thing to avoid.</summary>
    public const string NegativeVerb = "avoids";

    /// <summary>
    /// The preference with the other polarity, or null when the text leaves nothing once its leading verb is taken off
    /// (a negative one whose thing to avoid cannot be stated without the negation).
    /// </summary>
    public static string? For(UserPreference preference)
    {
        var text = preference.Text.Trim().TrimEnd('.', '!', ';');
        if (preference.Sentiment == PreferenceSentiment.Negative)
        {
            var form = PositiveForm.Rewrite(text);
            return string.Equals(form, text, StringComparison.Ordinal) ? null : $"{PositiveVerb} {form}";
        }
        var rest = LexiconSentimentClassifier.StripPositiveLead(text);
        return rest.Length == 0 ? null : $"{NegativeVerb} {rest}";
    }
}
