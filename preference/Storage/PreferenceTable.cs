namespace Mender.Preference.Storage;

/// <summary>
/// The completed preferences of a store in memory, by user (external id) and step: what matching and the recommender
/// read. Steps are positions in the user's full history (see <see cref="Extraction.ExtractionSchedule"/>).
/// </summary>
public sealed class PreferenceTable
{
    private readonly Dictionary<string, SortedList<int, IReadOnlyList<UserPreference>>> byUser = new(StringComparer.Ordinal);

    /// <summary>Indexes the completed steps by user and step; steps without preferences are left out.</summary>
    public PreferenceTable(IEnumerable<StoredStep> completed, string? dataset = null, string? extractor = null, string? model = null)
    {
        Dataset = dataset;
        Extractor = extractor;
        Model = model;
        foreach (var row in completed)
        {
            if (row.Preferences.Count == 0) continue;
            if (!byUser.TryGetValue(row.User, out var steps))
                byUser[row.User] = steps = [];
            steps[row.Step] = row.Preferences;
            Count++;
        }
    }

    /// <summary>The dataset the preferences were extracted from, when known.</summary>
    public string? Dataset { get; }
    /// <summary>The extractor that wrote the preferences, when known.</summary>
    public string? Extractor { get; }
    /// <summary>The model the extractor used, when it used one.</summary>
    public string? Model { get; }

    /// <summary>Number of (user, step) entries with preferences.</summary>
    public int Count { get; }

    /// <summary>The external ids of the users that have preferences.</summary>
    public IEnumerable<string> Users => byUser.Keys;

    /// <summary>The preferences written at <paramref name="step"/>, or null when that step has none.</summary>
    public IReadOnlyList<UserPreference>? At(string user, int step) =>
        byUser.TryGetValue(user, out var steps) && steps.TryGetValue(step, out var preferences) ? preferences : null;

    /// <summary>The user's steps with preferences, in order.</summary>
    public IReadOnlyList<int> Steps(string user) =>
        byUser.TryGetValue(user, out var steps) ? steps.Keys.ToArray() : [];
}
