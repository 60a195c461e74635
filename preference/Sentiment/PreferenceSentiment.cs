namespace Mender.Preference.Sentiment;

/// <summary>Whether a preference states something the user wants (positive) or wants to stay away from (negative).</summary>
public enum PreferenceSentiment
{
    /// <summary>The shopper wants it.</summary>
    Positive,
    /// <summary>The shopper wants to avoid it.</summary>
    Negative,
}

/// <summary>The lower-case names sentiments have in prompts, stores and JSON.</summary>
public static class PreferenceSentimentNames
{
    /// <summary>The sentiment's name: "positive" or "negative".</summary>
    public static string ToName(this PreferenceSentiment sentiment) =>
        sentiment == PreferenceSentiment.Positive ? "positive" : "negative";

    /// <summary>Reads a sentiment name; false when the text is not one.</summary>
    public static bool TryParse(string? text, out PreferenceSentiment sentiment)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "positive":
                sentiment = PreferenceSentiment.Positive;
                return true;
            case "negative":
                sentiment = PreferenceSentiment.Negative;
                return true;
            default:
                sentiment = default;
                return false;
        }
    }
}
