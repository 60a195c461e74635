using Mender.Preference;

namespace Mender.Service;

/// <summary>Preferences written from a few reviews, with the extractor that actually wrote them.</summary>
public sealed record ExtractedPreferences(IReadOnlyList<UserPreference> Preferences, string Extractor);
