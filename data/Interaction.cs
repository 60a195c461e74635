namespace Mender.Data;

/// <summary>
/// One user-item event. <see cref="Timestamp"/> is unix seconds when the source has it, otherwise the event's position
/// in the user's sequence; either way it orders the user's history.
/// </summary>
public sealed record Interaction(
    int ItemId,
    long Timestamp,
    float? Rating = null,
    string? Summary = null,
    string? ReviewText = null);
