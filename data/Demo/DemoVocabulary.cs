using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mender.Data.Demo;

/// <summary>
/// The words of the demo world, read from tables/demo-vocabulary.json: product types grouped into routines, the attributes
/// tastes are made of, brand name parts, title adjectives and the sentences reviews are composed from. "{type}" in a
/// sentence stands for the product type.
/// </summary>
internal static class DemoVocabulary
{
    public const string Scent = "scent", Finish = "finish", Texture = "texture", Colour = "colour", Active = "active";

    /// <summary>The vocabulary's data file, shipped beside the binary.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "tables", "demo-vocabulary.json");

    private static readonly VocabularyFile Data = VocabularyFile.Read(DefaultPath);

    public static IReadOnlyList<DemoProductType> ProductTypes { get; } =
        Data.Routines.SelectMany((routine, r) => routine.Steps.Select((step, s) =>
        {
            var variants = Data.Variant(step.Variants);
            return new DemoProductType(step.Name, routine.Category, routine.Subcategory, step.Price, variants.Values, variants.Kind, r, s);
        }))
        .ToArray();

    public static IReadOnlyList<string> Categories { get; } = ProductTypes.Select(t => t.Category).Distinct().ToArray();

    public static IReadOnlyList<DemoAttribute> Attributes { get; } = Data.Attributes.Select(a => new DemoAttribute(a.Name, a.Keyword, a.Group,
        a.Types, a.TitleWord, a.ActiveIngredient, a.Praise, a.Complaints, a.Wish, a.PraiseSummary, a.ComplaintSummary)).ToArray();

    /// <summary>Attributes a user can dislike: those with complaints worth writing (nobody dislikes "cruelty-free").</summary>
    public static IReadOnlyList<DemoAttribute> Dislikeable { get; } = Attributes.Where(a => a.Complaints.Count > 0).ToArray();

    public static DemoAttribute Attribute(string name) => Attributes.First(a => a.Name == name);

    public static readonly string[] BrandFirst = Data.BrandFirst;
    public static readonly string[] BrandSecond = Data.BrandSecond;

    /// <summary>Attributes that can define a brand's line (all its products have them where they apply).</summary>
    public static readonly string[] BrandSignatures = Data.BrandSignatures;

    public static readonly string[] Adjectives = Data.Adjectives;

    /// <summary>Review openers by rating, one to five stars; <see cref="Closers"/> and <see cref="Summaries"/> likewise.</summary>
    public static readonly string[][] Openers = Data.Openers;

    public static readonly string[] GoodRemarks = Data.GoodRemarks;
    public static readonly string[] BadRemarks = Data.BadRemarks;
    public static readonly string[] PlainRemarks = Data.PlainRemarks;
    public static readonly string[][] Closers = Data.Closers;
    public static readonly string[][] Summaries = Data.Summaries;

    /// <summary>The data file as written.</summary>
    private sealed record VocabularyFile
    {
        public required Dictionary<string, Variants> Variants { get; init; }
        public required Routine[] Routines { get; init; }
        public required AttributeEntry[] Attributes { get; init; }
        public required string[] BrandFirst { get; init; }
        public required string[] BrandSecond { get; init; }
        public required string[] BrandSignatures { get; init; }
        public required string[] Adjectives { get; init; }
        public required string[][] Openers { get; init; }
        public required string[] GoodRemarks { get; init; }
        public required string[] BadRemarks { get; init; }
        public required string[] PlainRemarks { get; init; }
        public required string[][] Closers { get; init; }
        public required string[][] Summaries { get; init; }

        private static readonly JsonSerializerOptions Json = new()
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            ReadCommentHandling = JsonCommentHandling.Skip,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        };

        public static VocabularyFile Read(string path)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"the demo vocabulary file '{path}' is missing", path);
            try
            {
                return JsonSerializer.Deserialize<VocabularyFile>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path} is not a valid demo vocabulary: {e.Message}", e);
            }
        }

        public Variants Variant(string name) =>
            Variants.TryGetValue(name, out var found) ? found : throw new InvalidDataException($"the demo vocabulary names unknown variants '{name}'");
    }

    /// <summary>Shades, sizes or pack counts; <see cref="Kind"/> says which.</summary>
    private sealed record Variants(string Kind, string[] Values);

    private sealed record Routine(string Category, string Subcategory, Step[] Steps);

    private sealed record Step(string Name, double Price, string Variants);

    private sealed record AttributeEntry
    {
        public required string Name { get; init; }
        public required string Keyword { get; init; }
        public required string Group { get; init; }
        public required string[] Types { get; init; }
        public string? TitleWord { get; init; }
        public string? ActiveIngredient { get; init; }
        public required string[] Praise { get; init; }
        public required string[] Complaints { get; init; }
        public required string Wish { get; init; }
        public required string PraiseSummary { get; init; }
        public required string ComplaintSummary { get; init; }
    }
}
