using System.Text.Json;
using Mender.Data;
using Mender.Data.Formats;

namespace Mender.Data.Demo;

/// <summary>
/// A generated beauty-shop world with known answers: a catalogue whose items carry attributes, users whose latent tastes
/// (liked and disliked attributes) drive what they buy and what they write, and reviews that express those tastes.
/// Same options and seed, same world. Because the tastes are known, preference steering can be measured against them.
/// </summary>
public sealed class DemoWorld
{
    /// <summary>The file beside the dataset cache that records each user's hidden tastes.</summary>
    public const string TastesFileName = "tastes.json";
    private const string TastesFormat = "mender-demo-tastes";

    private DemoWorld(DemoWorldOptions options, Dataset dataset, IReadOnlyList<UserTaste> tastes)
    {
        Options = options;
        Dataset = dataset;
        Tastes = tastes;
    }

    /// <summary>The options the world was generated with.</summary>
    public DemoWorldOptions Options { get; }

    /// <summary>The world as a dataset: catalogue, users and their reviews.</summary>
    public Dataset Dataset { get; }

    /// <summary>Per user, indexed by user id.</summary>
    public IReadOnlyList<UserTaste> Tastes { get; }

    /// <summary>Every attribute name items can carry and users can like or dislike.</summary>
    public static IReadOnlyList<string> AttributeNames { get; } = DemoVocabulary.Attributes.Select(a => a.Name).ToArray();

    /// <summary>
    /// The word every review sentence about an attribute contains (e.g. "lavender" for "lavender scent"), for checking
    /// whether a text speaks about it.
    /// </summary>
    public static string KeywordOf(string attribute) =>
        DemoVocabulary.Attributes.FirstOrDefault(a => a.Name == attribute)?.Keyword
        ?? throw new ArgumentException($"'{attribute}' is not a demo attribute", nameof(attribute));

    /// <summary>Generates the world <paramref name="options"/> describe; the same options give the same world.</summary>
    public static DemoWorld Generate(DemoWorldOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new DemoWorldOptions();
        options.Validate();
        var catalog = DemoCatalog.Generate(options.Items, new DemoRandom(options.Seed));
        var users = new User[options.Users];
        var tastes = new UserTaste[options.Users];
        for (var u = 0; u < options.Users; u++)
        {
            cancellation.ThrowIfCancellationRequested();
            var (taste, history) = DemoShopper.Simulate(u, catalog, options, new DemoRandom(options.Seed, u + 1));
            users[u] = new User(u, $"U{u + 1:D5}", history);
            tastes[u] = taste;
        }
        var dataset = new Dataset("demo", catalog.Items, users)
        {
            Source = $"demo world (seed {options.Seed}, {options.Items} items, {options.Users} users)",
        };
        dataset.Validate();
        return new DemoWorld(options, dataset, tastes);
    }

    /// <summary>Writes the world as a dataset cache (readable by <see cref="DatasetLoader"/>) plus tastes.json.</summary>
    public CacheManifest Save(string folder, string command)
    {
        var parameters = new Dictionary<string, string>
        {
            ["seed"] = Options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["items"] = Options.Items.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["users"] = Options.Users.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["min_history"] = Options.MinHistory.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["max_history"] = Options.MaxHistory.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["mean_extra_history"] = Options.MeanExtraHistory.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        };
        var manifest = DatasetCache.Write(Dataset, folder, new Provenance(command, parameters));
        var document = new TastesDocument(
            TastesFormat,
            1,
            Options,
            Tastes.Select(t => new TasteEntry(Dataset.Users[t.UserId].ExternalId, t.Likes, t.Dislikes, t.Categories)).ToArray());
        File.WriteAllText(Path.Combine(folder, TastesFileName), JsonSerializer.Serialize(document, CacheManifest.JsonOptions) + "\n");
        return manifest;
    }

    /// <summary>Reads a world written by <see cref="Save"/>.</summary>
    public static DemoWorld Load(string folder)
    {
        var dataset = DatasetCache.Read(folder);
        var path = Path.Combine(folder, TastesFileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: '{folder}' is a dataset but not a demo world", path);
        TastesDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<TastesDocument>(File.ReadAllBytes(path), CacheManifest.JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a valid tastes file: {ex.Message}", ex);
        }
        if (document is null || document.Format != TastesFormat)
            throw new InvalidDataException($"{path}: not a {TastesFormat} file");
        var byUser = dataset.Users.ToDictionary(u => u.ExternalId, u => u.Id, StringComparer.Ordinal);
        var tastes = new UserTaste?[dataset.Users.Count];
        foreach (var entry in document.Users)
        {
            if (!byUser.TryGetValue(entry.User, out var id))
                throw new InvalidDataException($"{path}: user '{entry.User}' is not in the dataset");
            tastes[id] = new UserTaste(id, entry.Likes, entry.Dislikes, entry.Categories);
        }
        var missing = Array.FindIndex(tastes, t => t is null);
        if (missing >= 0)
            throw new InvalidDataException($"{path}: no taste for user '{dataset.Users[missing].ExternalId}'");
        return new DemoWorld(document.Options, dataset, tastes!);
    }

    private sealed record TasteEntry(string User, IReadOnlyList<string> Likes, IReadOnlyList<string> Dislikes, IReadOnlyList<string> Categories);

    private sealed record TastesDocument(string Format, int Version, DemoWorldOptions Options, IReadOnlyList<TasteEntry> Users);
}
