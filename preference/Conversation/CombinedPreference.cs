using Mender.Preference.Sentiment;

namespace Mender.Preference.Conversation;

/// <summary>
/// The preferences a conversation has stated so far, each with its polarity, oldest first: what the recommender is
/// conditioned on (through the polar encoding, so "avoids X" stays a push away from X) and what the answer says it used.
/// </summary>
public sealed record CombinedPreference(IReadOnlyList<UserPreference> Parts)
{
    /// <summary>True when the turns stated no preference at all.</summary>
    public bool IsEmpty => Parts.Count == 0;

    /// <summary>The parts as one line, for example "something for dry skin; avoids fragrance; likes vanilla".</summary>
    public string Text => string.Join("; ", Parts.Select(p => p.Text));

    /// <summary>The parts the shopper wants.</summary>
    public IEnumerable<UserPreference> Positive => Parts.Where(p => p.Sentiment == PreferenceSentiment.Positive);

    /// <summary>The parts the shopper wants to avoid.</summary>
    public IEnumerable<UserPreference> Negative => Parts.Where(p => p.Sentiment == PreferenceSentiment.Negative);
}
