namespace Mender.Data;

/// <summary>
/// A history and the item that came next: one training example, or one validation/test case.
/// <see cref="History"/> holds item ids oldest first, already capped to the most recent items.
/// <see cref="TargetIndex"/> is the target's position in the user's full interaction list, so the reviews written before
/// it (<c>Interactions[..TargetIndex]</c>) can be looked up, e.g. for the preferences that held at that time.
/// </summary>
public sealed record TrainingSample(int UserId, int[] History, int Target)
{
    /// <summary>The target's position in the user's full interaction list.</summary>
    public int TargetIndex { get; init; }
}
