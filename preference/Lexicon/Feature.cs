namespace Mender.Preference.Lexicon;

/// <summary>What role a lexicon feature plays when the built-in extractor reads a review.</summary>
internal enum FeatureKind
{
    /// <summary>A quality of a product the user can like or avoid ("floral", "greasy", "matte").</summary>
    Quality,
    /// <summary>The bare aspect ("the smell"), used only when no specific quality of that aspect was named.</summary>
    Generic,
    /// <summary>"fragrance free", "no parabens": always a positive wish for products without it.</summary>
    FreeOf,
    /// <summary>A trait or need of the user ("sensitive skin", "frizz"): always positive.</summary>
    Need,
    /// <summary>A kind of product ("shampoo"); only ever a weak positive filler.</summary>
    ProductType,
}

/// <summary>
/// One thing the built-in extractor can say about a user, with the sentence for each reading. <see cref="Inherent"/> is
/// the feature's own sentiment (-1 "sticky", +1 "moisturizing", 0 "floral" where the review decides).
/// <see cref="WhenNegated"/> is the positive preference a negated negative quality implies ("not greasy" → "prefers
/// non-greasy textures"); for a flaw without an avoiding sentence ("fades") it is also what a complaint about the flaw
/// implies ("wants long-lasting scents"). <see cref="AbsenceIsComplaint"/> marks qualities whose absence is always a complaint
/// ("doesn't last" → "wants long-lasting products"). A non-<see cref="Standalone"/> feature is only read when a noun
/// of its <see cref="Aspect"/> is in the same clause ("strong" counts as a scent quality only near "scent").
/// </summary>
internal sealed record Feature(
    string Key,
    string Aspect,
    FeatureKind Kind,
    int Inherent,
    string? Like,
    string? Avoid,
    string? WhenNegated = null,
    bool Standalone = true,
    bool AbsenceIsComplaint = false,
    bool Soft = false);
