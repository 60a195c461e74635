namespace Mender.Data;

/// <summary>A user with a chronological history (oldest first). <see cref="Id"/> is dense (0..n-1).</summary>
public sealed record User(int Id, string ExternalId, IReadOnlyList<Interaction> Interactions);
