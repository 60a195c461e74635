using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mender.Data.Formats;

/// <summary>What produced an artefact: the command line, the tool version and the parameters that shaped it.</summary>
public sealed record Provenance(string Command, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The program that wrote the cache.</summary>
    public string Tool { get; init; } = "Mender.NET";

    /// <summary>Its version.</summary>
    public string Version { get; init; } = ToolVersion;

    /// <summary>This build's version.</summary>
    public static string ToolVersion { get; } =
        typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Provenance).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}

/// <summary>A file a cache was made from, with its size and SHA-256 so a stale cache can be recognised.</summary>
public sealed record SourceFile(string Path, long Bytes, string Sha256);

/// <summary>The counts a cache holds; checked again when it is read.</summary>
public sealed record CacheCounts(int Users, int Items, long Interactions);

/// <summary><c>manifest.json</c> of a dataset cache folder: what is in <c>dataset.bin</c> and where it came from.</summary>
public sealed record CacheManifest(
    string Format,
    int Version,
    string Name,
    string Source,
    IReadOnlyList<SourceFile> SourceFiles,
    SourceFile Data,
    CacheCounts Counts,
    int SkippedLines,
    IReadOnlyList<string> SkippedExamples,
    IReadOnlyList<string> Notes,
    Provenance ProducedBy,
    DateTimeOffset CreatedUtc)
{
    /// <summary>The manifest's file name in a cache folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The format name a manifest carries.</summary>
    public const string FormatName = "mender-dataset";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // A damaged manifest with a field missing or null is an invalid manifest, not a NullReferenceException later.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Reads the manifest of the cache in <paramref name="folder"/>.</summary>
    public static CacheManifest Read(string folder)
    {
        var path = System.IO.Path.Combine(folder, FileName);
        CacheManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CacheManifest>(File.ReadAllBytes(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not a valid dataset manifest: {ex.Message}", ex);
        }
        if (manifest is null || manifest.Format != FormatName)
            throw new InvalidDataException($"{path}: not a {FormatName} manifest");
        if (manifest.Version != DatasetCache.FormatVersion)
            throw new InvalidDataException(
                $"{path}: cache format version {manifest.Version}, this build reads version {DatasetCache.FormatVersion}; import the data again");
        return manifest;
    }

    /// <summary>Writes the manifest into <paramref name="folder"/>.</summary>
    public void Write(string folder) =>
        File.WriteAllText(System.IO.Path.Combine(folder, FileName), JsonSerializer.Serialize(this, JsonOptions) + "\n");
}
