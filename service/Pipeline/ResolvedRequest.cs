namespace Mender.Service.Pipeline;

/// <summary>
/// A request checked and resolved against the catalogue and the cold-start items: the history as the reasoner reads it
/// (<see cref="Entries"/>, oldest first) and as the model reads it (<see cref="ModelHistory"/>, catalogue items only),
/// the items to leave out of the answer, the beam width, and the typed preference (for a conversation, its turns
/// combined by rules).
/// </summary>
internal sealed record ResolvedRequest(
    RecommendationRequest Request,
    IReadOnlyList<HistoryEntry> Entries,
    int[] ModelHistory,
    IReadOnlySet<string> Excluded,
    int Beam,
    string? Typed,
    IReadOnlyList<string>? Turns);
