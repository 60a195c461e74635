using Mender.Preference.Sentiment;

namespace Mender.Preference;

/// <summary>One short preference written for a user, e.g. "avoids glitter", with its sentiment.</summary>
public sealed record UserPreference(string Text, PreferenceSentiment Sentiment);
