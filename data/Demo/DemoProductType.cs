namespace Mender.Data.Demo;

/// <summary>
/// A kind of product in the demo catalogue. <see cref="Variants"/> are shades for colour products and sizes or pack counts
/// for the rest (<see cref="VariantKind"/> says which);
/// <see cref="Routine"/> and <see cref="Step"/> place it in a routine whose steps users tend to buy in order.
/// </summary>
internal sealed record DemoProductType(
    string Name,
    string Category,
    string Subcategory,
    double BasePrice,
    IReadOnlyList<string> Variants,
    string VariantKind,
    int Routine,
    int Step);
