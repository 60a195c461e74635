namespace Mender.Data.Demo;

/// <summary>
/// The latent taste of a demo user: attributes liked and disliked (names as in <see cref="Data.Item.Attributes"/>),
/// and the product categories the user mostly shops in. Interactions and reviews are generated from it.
/// </summary>
public sealed record UserTaste(int UserId, IReadOnlyList<string> Likes, IReadOnlyList<string> Dislikes, IReadOnlyList<string> Categories);
