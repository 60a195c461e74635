namespace Mender.Service;

/// <summary>
/// One recommended item. <see cref="Score"/> is the model's log-probability of the item's SID, or, when cold-start items
/// are registered, the hybrid score that ranks generated and cold-start items on one scale. A cold-start item has no
/// SID (empty <see cref="Sid"/>).
/// </summary>
public sealed record RecommendedItem(string ItemId, string Title, IReadOnlyList<int> Sid, float Score, string? Reason, bool ColdStart);
