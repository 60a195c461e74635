namespace Mender.Preference.Matching;

/// <summary>
/// The preference a recommendation target is paired with. The target is the item at <see cref="Position"/> in the
/// user's history; its preferences are those of the previous step (<see cref="Step"/> = Position - 1), written before
/// the target was reviewed. <see cref="Matched"/> is the one most similar to the item (index <see cref="MatchedIndex"/>
/// in <see cref="Preferences"/>, cosine <see cref="Similarity"/>); the text is the original, negative ones included.
/// </summary>
public sealed record PreferenceMatch(
    int UserId,
    string User,
    int Position,
    int ItemId,
    int Step,
    UserPreference Matched,
    int MatchedIndex,
    float Similarity,
    IReadOnlyList<UserPreference> Preferences);
