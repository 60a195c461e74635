namespace Mender.Preference.Sentiment;

/// <summary>Whether a preference states something the user wants (positive) or wants to stay away from (negative).</summary>
public enum PreferenceSentiment
{
    Positive,
    Negative,
}

public static class PreferenceSentimentNames
{
    public static string ToName(this PreferenceSentiment sentiment) =>
        sentiment == PreferenceSentiment.Positive ? "positive" : "negative";

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
