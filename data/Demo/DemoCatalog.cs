using System.Globalization;
using Mender.Data;

namespace Mender.Data.Demo;

/// <summary>
/// Generates the demo product catalogue: brands with a focus (one or two categories), a price tier and signature attributes,
/// and items with a product type, 2-4 attributes (at most one per group), a readable title, a description, a price and a
/// latent popularity.
/// </summary>
internal sealed class DemoCatalog
{
    private sealed record Brand(string Name, string[] Focus, double Tier, DemoAttribute[] Signatures, double LogPopularity);

    private DemoCatalog(Item[] items, int[] typeOf, int[] brandOf, DemoAttribute[][] attributesOf, double[] logPopularity)
    {
        Items = items;
        TypeOf = typeOf;
        BrandOf = brandOf;
        AttributesOf = attributesOf;
        LogPopularity = logPopularity;
    }

    public Item[] Items { get; }

    /// <summary>Per item: its index in <see cref="DemoVocabulary.ProductTypes"/>.</summary>
    public int[] TypeOf { get; }

    public int[] BrandOf { get; }

    public DemoAttribute[][] AttributesOf { get; }

    public double[] LogPopularity { get; }

    public DemoProductType Type(int item) => DemoVocabulary.ProductTypes[TypeOf[item]];

    public static DemoCatalog Generate(int count, DemoRandom random)
    {
        var brands = Brands(Math.Clamp(count / 60, 12, 48), random);
        var brandWeights = brands.Select(b => Math.Exp(b.LogPopularity)).ToArray();
        var brandTotal = brandWeights.Sum();
        var types = DemoVocabulary.ProductTypes;
        var categories = DemoVocabulary.Categories;
        var items = new Item[count];
        var typeOf = new int[count];
        var brandOf = new int[count];
        var attributesOf = new DemoAttribute[count][];
        var logPopularity = new double[count];
        var titles = new HashSet<string>(StringComparer.Ordinal);

        for (var i = 0; i < count; i++)
        {
            var b = random.Weighted(brandWeights, brandTotal);
            var brand = brands[b];
            var category = random.Chance(0.85) ? random.Pick(brand.Focus) : random.Pick(categories);
            var candidates = Enumerable.Range(0, types.Count).Where(t => types[t].Category == category).ToArray();
            var typeIndex = random.Pick(candidates);
            var type = types[typeIndex];
            var attributes = ChooseAttributes(type, brand, random);

            var title = "";
            var variant = "";
            for (var attempt = 0; attempt < 8; attempt++)
            {
                variant = random.Pick(type.Variants);
                title = Title(brand.Name, random.Pick(DemoVocabulary.Adjectives), type, attributes, variant);
                if (!titles.Contains(title)) break;
            }
            for (var n = 2; titles.Contains(title); n++)
                title = $"{Title(brand.Name, DemoVocabulary.Adjectives[0], type, attributes, variant)} No. {n}";
            titles.Add(title);

            var travel = attributes.Any(a => a.Name == "travel size");
            var price = type.BasePrice * brand.Tier * (0.85 + 0.35 * random.NextDouble()) * (travel ? 0.45 : 1.0);
            typeOf[i] = typeIndex;
            brandOf[i] = b;
            attributesOf[i] = attributes;
            logPopularity[i] = 0.9 * random.Normal() + 0.5 * brand.LogPopularity;
            items[i] = new Item(
                i,
                $"D{i + 1:D5}",
                title,
                brand.Name,
                [type.Category, type.Subcategory, type.Name],
                Math.Max(1.99, Math.Round(price) - 0.01),
                Description(brand.Name, type, attributes, variant))
            {
                Attributes = attributes.Select(a => a.Name).ToArray(),
            };
        }
        return new DemoCatalog(items, typeOf, brandOf, attributesOf, logPopularity);
    }

    private static Brand[] Brands(int count, DemoRandom random)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var brands = new Brand[count];
        var tiers = new[] { 0.7, 1.0, 1.0, 1.4, 2.0 };
        for (var b = 0; b < count; b++)
        {
            string name;
            do name = $"{random.Pick(DemoVocabulary.BrandFirst)} {random.Pick(DemoVocabulary.BrandSecond)}";
            while (!names.Add(name));
            var categories = DemoVocabulary.Categories;
            var first = random.Pick(categories);
            string[] focus = random.Chance(0.4) ? [first, random.Pick(categories.Where(c => c != first).ToArray())] : [first];
            var signatures = Enumerable.Range(0, random.Next(3))
                .Select(_ => DemoVocabulary.Attribute(random.Pick(DemoVocabulary.BrandSignatures)))
                .Distinct()
                .ToArray();
            // Brand popularity falls off with rank, so a few brands dominate as in real catalogues.
            brands[b] = new Brand(name, focus, random.Pick(tiers), signatures, -0.7 * Math.Log(b + 1));
        }
        return brands;
    }

    private static DemoAttribute[] ChooseAttributes(DemoProductType type, Brand brand, DemoRandom random)
    {
        var target = random.Between(2, 4);
        var chosen = new List<DemoAttribute>(4);
        bool Fits(DemoAttribute a) =>
            a.AppliesTo(type) && !chosen.Contains(a) && (a.Group.Length == 0 || chosen.All(c => c.Group != a.Group));

        if (type.Category == "Fragrance")
        {
            var scents = DemoVocabulary.Attributes.Where(a => a.Group == DemoVocabulary.Scent && a.Name != "fragrance-free" && a.AppliesTo(type)).ToArray();
            chosen.Add(random.Pick(scents));
        }
        foreach (var signature in brand.Signatures)
            if (Fits(signature) && random.Chance(0.85)) chosen.Add(signature);

        // Claims that fit every product (vegan, travel size) would otherwise crowd out the specific ones (retinol, SPF 30).
        var pool = DemoVocabulary.Attributes.Where(a => a.AppliesTo(type)).ToList();
        var weights = new double[pool.Count];
        while (chosen.Count < target)
        {
            var total = 0.0;
            for (var a = 0; a < pool.Count; a++)
            {
                weights[a] = Fits(pool[a]) ? 1.0 / Math.Sqrt(pool[a].Types.Count) : 0;
                total += weights[a];
            }
            if (total == 0) break;
            chosen.Add(pool[random.Weighted(weights, total)]);
        }
        return chosen.ToArray();
    }

    /// <summary>"Willow Lab Gentle Fragrance-Free Lightweight Moisturizer with Hyaluronic Acid, 1.7 oz".</summary>
    private static string Title(string brand, string adjective, DemoProductType type, DemoAttribute[] attributes, string variant)
    {
        var words = attributes.Where(a => a.TitleWord is not null).Take(2).Select(a => a.TitleWord);
        var active = attributes.FirstOrDefault(a => a.ActiveIngredient is not null)?.ActiveIngredient;
        var title = string.Join(" ", new[] { brand, adjective }.Concat(words!).Append(type.Name));
        if (active is not null) title += $" with {active}";
        return variant == "single" ? title : $"{title}, {variant}";
    }

    private static string Description(string brand, DemoProductType type, DemoAttribute[] attributes, string variant)
    {
        return string.Create(CultureInfo.InvariantCulture,
            $"{type.Name} by {brand.TrimEnd('.')}. Features: {string.Join(", ", attributes.Select(a => a.Name))}. {type.VariantKind}: {variant}.");
    }
}
