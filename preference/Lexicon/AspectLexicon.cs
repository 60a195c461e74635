using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mender.Preference.Lexicon;

/// <summary>A phrase of the lexicon: a feature it names, or a noun that makes an aspect present in a clause.</summary>
internal sealed record LexiconEntry(Feature? Feature, string? NounAspect, bool NounCarriesGeneric = false);

/// <summary>
/// The built-in extractor's knowledge of beauty and general products, read from tables/aspect-lexicon.json: aspects
/// (scent, texture, effect on skin and hair, finish, colour, longevity, packaging, size, taste, ingredients), their
/// nouns, the qualities of each with the preference sentence for each reading, "free of" ingredients, user traits and
/// needs, and kinds of product. Every sentence the extractor writes comes from here, so it can never name a brand or
/// talk about delivery or price.
/// </summary>
internal sealed class AspectLexicon
{
    private readonly Dictionary<string, Feature> generic = new(StringComparer.Ordinal);
    private readonly List<Feature> features = [];

    private AspectLexicon()
    {
    }

    // Initialized before Default, which reads with it.
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static AspectLexicon Default { get; } = Load(DefaultPath);

    public PhraseMatcher<LexiconEntry> Matcher { get; } = new();

    /// <summary>The bare-aspect feature of each aspect that has one.</summary>
    public IReadOnlyDictionary<string, Feature> Generic => this.generic;

    public IReadOnlyList<Feature> Features => features;

    /// <summary>Nouns that name an aspect outright ("the smell"): they place qualities and carry the bare-aspect preference.</summary>
    private void Noun(string aspect, string forms, string like, string avoid)
    {
        foreach (var form in Split(forms))
            Matcher.Add(form, new LexiconEntry(null, aspect, NounCarriesGeneric: true));
        var generic = new Feature(aspect + ":any", aspect, FeatureKind.Generic, 0, like, avoid);
        this.generic[aspect] = generic;
        features.Add(generic);
    }

    /// <summary>Nouns that only place qualities ("a thick lotion" is about texture) without saying anything by themselves.</summary>
    private void PlacingNoun(string aspect, string forms)
    {
        foreach (var form in Split(forms))
            Matcher.Add(form, new LexiconEntry(null, aspect));
    }

    private void Quality(string aspect, string name, string forms, int inherent, string? like, string? avoid,
        string? negated = null, bool standalone = true, bool absenceIsComplaint = false)
    {
        var feature = new Feature(aspect + ":" + name, aspect, FeatureKind.Quality, inherent, like, avoid, negated, standalone, absenceIsComplaint);
        Register(forms, feature);
    }

    private void Need(string aspect, string name, string forms, string text) =>
        Register(forms, new Feature(aspect + ":" + name, aspect, FeatureKind.Need, 1, text, null));

    private void Product(string name, string forms, string text) =>
        Register(forms, new Feature("product:" + name, "product", FeatureKind.ProductType, 0, text, null));

    /// <summary>
    /// "X free", "free of X", "free from X", "no added X" are firm; "no X" and "without X" are soft (a complaint can use
    /// them too: "it has no scent at all"). The avoiding sentence serves users who complain about the absence.
    /// </summary>
    private void FreeOf(string name, string forms, string text, string? extraFirmForms = null)
    {
        var avoid = text.StartsWith("prefers ", StringComparison.Ordinal) ? "avoids " + text["prefers ".Length..] : null;
        var firm = new Feature("ingredient:free-" + name, "ingredient", FeatureKind.FreeOf, 1, text, avoid);
        var soft = firm with { Soft = true };
        features.Add(firm);
        foreach (var form in Split(forms))
        {
            foreach (var phrase in new[] { form + " free", "free of " + form, "free from " + form, "no added " + form })
                Matcher.Add(phrase, new LexiconEntry(firm, null));
            foreach (var phrase in new[] { "no " + form, "without " + form, "without any " + form, "zero " + form })
                Matcher.Add(phrase, new LexiconEntry(soft, null));
        }
        if (extraFirmForms is not null)
            foreach (var form in Split(extraFirmForms))
                Matcher.Add(form, new LexiconEntry(firm, null));
    }

    private void Register(string forms, Feature feature)
    {
        features.Add(feature);
        foreach (var form in Split(forms))
            Matcher.Add(form, new LexiconEntry(feature, null));
    }

    private static IEnumerable<string> Split(string forms) =>
        forms.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The lexicon's data file, shipped beside the binary.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "tables", "aspect-lexicon.json");

    /// <summary>One line of the data file; which fields count depends on <see cref="Kind"/>.</summary>
    private sealed record Entry
    {
        public required string Kind { get; init; }
        public string Aspect { get; init; } = "";
        public string Name { get; init; } = "";
        public required string Forms { get; init; }
        public int Inherent { get; init; }
        public string? Like { get; init; }
        public string? Avoid { get; init; }
        public string? Negated { get; init; }
        public bool Standalone { get; init; } = true;
        public bool AbsenceIsComplaint { get; init; }
        public string? FirmForms { get; init; }
    }

    /// <summary>Reads the lexicon from its data file (<see cref="DefaultPath"/>).</summary>
    private static AspectLexicon Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"the lexicon file '{path}' is missing", path);
        Entry[] entries;
        try
        {
            entries = JsonSerializer.Deserialize<Entry[]>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid lexicon: {e.Message}", e);
        }
        var x = new AspectLexicon();
        foreach (var e in entries)
        {
            switch (e.Kind)
            {
                case "noun": x.Noun(e.Aspect, e.Forms, Required(e.Like, "like", e, path), Required(e.Avoid, "avoid", e, path)); break;
                case "placing-noun": x.PlacingNoun(e.Aspect, e.Forms); break;
                case "quality": x.Quality(e.Aspect, e.Name, e.Forms, e.Inherent, e.Like, e.Avoid, e.Negated, e.Standalone, e.AbsenceIsComplaint); break;
                case "need": x.Need(e.Aspect, e.Name, e.Forms, Required(e.Like, "like", e, path)); break;
                case "product": x.Product(e.Name, e.Forms, Required(e.Like, "like", e, path)); break;
                case "free-of": x.FreeOf(e.Name, e.Forms, Required(e.Like, "like", e, path), e.FirmForms); break;
                default: throw new InvalidDataException($"{path}: entry '{e.Forms}' has unknown kind '{e.Kind}'");
            }
        }
        return x;
    }

    private static string Required(string? sentence, string field, Entry entry, string path) =>
        sentence ?? throw new InvalidDataException($"{path}: the {entry.Kind} entry '{entry.Forms}' needs a \"{field}\" sentence");
}
