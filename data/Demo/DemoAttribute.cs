namespace Mender.Data.Demo;

/// <summary>
/// A product attribute users can like or dislike, e.g. "fragrance-free" or "glitter". Items carry at most one attribute
/// of each <see cref="Group"/> (a product has one scent, one finish). <see cref="Keyword"/> is the word every review
/// sentence about the attribute contains, so text that expresses a taste can be checked against it.
/// </summary>
internal sealed record DemoAttribute(
    string Name,
    string Keyword,
    string Group,
    IReadOnlyList<string> Types,
    string? TitleWord,
    string? ActiveIngredient,
    IReadOnlyList<string> Praise,
    IReadOnlyList<string> Complaints,
    string Wish,
    string PraiseSummary,
    string ComplaintSummary)
{
    private readonly HashSet<string> types = new(Types, StringComparer.Ordinal);

    public bool AppliesTo(DemoProductType type) => types.Contains(type.Name);

    // Each attribute exists once in the vocabulary, so identity is equality; member-wise record equality would be slow
    // in the simulation's inner loops.
    public bool Equals(DemoAttribute? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}
