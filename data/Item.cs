namespace Mender.Data;

/// <summary>A catalogue item. <see cref="Id"/> is dense (0..n-1) so it can index arrays; <see cref="ExternalId"/> is the source's id.</summary>
public sealed record Item(
    int Id,
    string ExternalId,
    string Title,
    string? Brand = null,
    IReadOnlyList<string>? Categories = null,
    double? Price = null,
    string? Description = null)
{
    /// <summary>The categories; empty when the source has none.</summary>
    public IReadOnlyList<string> Categories { get; init; } = Categories ?? [];

    /// <summary>
    /// Descriptive tags beyond brand and categories (Steam tags and specs, the demo world's product attributes such as
    /// "fragrance-free"). Empty when the source has none.
    /// </summary>
    public IReadOnlyList<string> Attributes { get; init; } = [];
}
