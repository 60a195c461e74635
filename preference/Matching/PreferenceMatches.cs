namespace Mender.Preference.Matching;

/// <summary>The matches of a dataset, looked up by (user id, target position).</summary>
public sealed class PreferenceMatches
{
    private readonly Dictionary<(int UserId, int Position), PreferenceMatch> byTarget;

    internal PreferenceMatches(IReadOnlyList<PreferenceMatch> matches, int targets, string embedder)
    {
        All = matches;
        Targets = targets;
        Embedder = embedder;
        byTarget = matches.ToDictionary(m => (m.UserId, m.Position));
    }

    /// <summary>Every match found, one per target that had preferences.</summary>
    public IReadOnlyList<PreferenceMatch> All { get; }

    /// <summary>Targets asked for; those whose previous step has no preferences have no match.</summary>
    public int Targets { get; }

    /// <summary>Targets that had no preferences to match.</summary>
    public int Unmatched => Targets - All.Count;

    /// <summary>The embedder that scored the matches.</summary>
    public string Embedder { get; }

    /// <summary>The match for a user's purchase at a position in the history; null when there is none.</summary>
    public PreferenceMatch? For(int userId, int position) =>
        byTarget.TryGetValue((userId, position), out var match) ? match : null;
}
