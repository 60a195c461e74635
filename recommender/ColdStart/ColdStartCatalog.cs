using System.Numerics.Tensors;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mender.Recommender.Embeddings;
using Mender.Recommender.SemanticIds;

namespace Mender.Recommender.ColdStart;

/// <summary>
/// The cold-start items registered beside a checkpoint, in <c>DIR/cold-start/</c>: <c>items.jsonl</c> (one item per
/// line, the truth), <c>embeddings.f32</c> (their text embeddings, row-major float32, in line order) and
/// <c>manifest.json</c> (the embedder and a digest of items.jsonl the embeddings belong to). Every file is replaced
/// atomically; embeddings that do not match the items (an interrupted write, another embedder) are recomputed on load.
/// </summary>
public sealed class ColdStartCatalog
{
    /// <summary>The catalogue's folder inside a checkpoint.</summary>
    public const string FolderName = "cold-start";
    /// <summary>The file listing the catalogue's items, one JSON object a line.</summary>
    public const string ItemsFile = "items.jsonl";
    /// <summary>The file of the items' embeddings, raw float32 rows in item order.</summary>
    public const string EmbeddingsFile = "embeddings.f32";
    /// <summary>The file that records how the catalogue was built.</summary>
    public const string ManifestFile = "manifest.json";

    private readonly List<ColdStartItem> items;
    private float[] embeddings;

    private ColdStartCatalog(string folder, LexicalEmbeddingGenerator embedder, string embedderSpec, List<ColdStartItem> items, float[] embeddings)
    {
        Folder = folder;
        Embedder = embedder;
        EmbedderSpec = embedderSpec;
        this.items = items;
        this.embeddings = embeddings;
    }

    /// <summary>The folder the catalogue was read from.</summary>
    public string Folder { get; }
    /// <summary>The embedder that embeds queries and new items the same way as the catalogue's.</summary>
    public LexicalEmbeddingGenerator Embedder { get; }
    /// <summary>The embedder's spec, as the manifest records it.</summary>
    public string EmbedderSpec { get; }
    /// <summary>The catalogue's items, in the order of their embeddings.</summary>
    public IReadOnlyList<ColdStartItem> Items => items;
    /// <summary>The number of items in the catalogue.</summary>
    public int Count => items.Count;
    /// <summary>The length of every embedding.</summary>
    public int Dimensions => Embedder.Dimensions;

    /// <summary>The catalogue folder of a checkpoint directory.</summary>
    public static string FolderOf(string checkpoint) => Path.Combine(Path.GetFullPath(checkpoint), FolderName);

    /// <summary>The unit-length embedding of item <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Embedding(int index) => embeddings.AsSpan(index * Dimensions, Dimensions);

    /// <summary>Opens the catalogue of <paramref name="checkpoint"/> (empty when none was added), embedding with <paramref name="embedder"/>.</summary>
    public static ColdStartCatalog Open(string checkpoint, LexicalEmbeddingGenerator embedder, string embedderSpec)
    {
        var folder = FolderOf(checkpoint);
        var path = Path.Combine(folder, ItemsFile);
        var list = File.Exists(path) ? ReadFile(path) : [];
        var catalog = new ColdStartCatalog(folder, embedder, embedderSpec, list, []);
        catalog.embeddings = catalog.StoredEmbeddings() ?? catalog.EmbedAll();
        return catalog;
    }

    /// <summary>Reads a JSONL file of items; a malformed line or a repeated id is an error naming file:line.</summary>
    public static List<ColdStartItem> ReadFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"cold-start item file '{path}' does not exist", path);
        var result = new List<ColdStartItem>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var item = ColdStartItem.Parse(line, $"{path}:{number}");
            if (seen.TryGetValue(item.ItemId, out var first))
                throw new InvalidDataException($"{path}:{number}: item '{item.ItemId}' already appears on line {first}");
            seen[item.ItemId] = number;
            result.Add(item);
        }
        return result;
    }

    /// <summary>
    /// Adds items (an existing id is updated in place), then writes the folder. Ids of the trained catalogue are
    /// refused: those items have SIDs and are recommended by the model. Returns how many were new and how many updated.
    /// </summary>
    public (int Added, int Updated) Add(IReadOnlyList<ColdStartItem> added, Func<string, bool> inCatalogue)
    {
        foreach (var item in added)
            if (inCatalogue(item.ItemId))
                throw new ArgumentException($"item '{item.ItemId}' is already in the trained catalogue; cold-start items must be new");
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++) index[items[i].ItemId] = i;
        int newCount = 0, updated = 0;
        foreach (var item in added)
        {
            if (index.TryGetValue(item.ItemId, out var at))
            {
                items[at] = item;
                updated++;
            }
            else
            {
                index[item.ItemId] = items.Count;
                items.Add(item);
                newCount++;
            }
        }
        embeddings = EmbedAll();
        Save();
        return (newCount, updated);
    }

    /// <summary>The <paramref name="count"/> items most similar (cosine) to <paramref name="query"/>, best first, skipping <paramref name="skip"/>.</summary>
    public IReadOnlyList<(int Index, float Similarity)> Nearest(ReadOnlySpan<float> query, int count, Func<int, bool>? skip = null)
    {
        var norm = TensorPrimitives.Norm(query);
        var found = new List<(int Index, float Similarity)>(items.Count);
        if (norm <= 0 || count <= 0) return [];
        for (var i = 0; i < items.Count; i++)
        {
            if (skip?.Invoke(i) == true) continue;
            found.Add((i, TensorPrimitives.Dot(query, Embedding(i)) / norm));
        }
        return found.OrderByDescending(f => f.Similarity).ThenBy(f => f.Index).Take(count).ToList();
    }

    private float[] EmbedAll()
    {
        var d = Dimensions;
        var result = new float[items.Count * d];
        Parallel.For(0, items.Count, i => Embedder.Embed(items[i].Text).CopyTo(result.AsSpan(i * d, d)));
        return result;
    }

    private string ItemsText() => string.Concat(items.Select(i => i.ToJsonLine() + "\n"));

    private void Save()
    {
        var text = ItemsText();
        var bytes = new byte[embeddings.Length * sizeof(float)];
        Buffer.BlockCopy(embeddings, 0, bytes, 0, bytes.Length);
        // The items first: if the run stops before the manifest is written, the next load sees stale embeddings and redoes them.
        AtomicFile.WriteAllText(Path.Combine(Folder, ItemsFile), text);
        AtomicFile.WriteAllBytes(Path.Combine(Folder, EmbeddingsFile), bytes);
        var manifest = new Manifest(EmbedderSpec, Embedder.Fingerprint, Dimensions, items.Count, Digest(text));
        AtomicFile.WriteAllText(Path.Combine(Folder, ManifestFile), JsonSerializer.Serialize(manifest, ManifestJson));
    }

    /// <summary>The stored embeddings when the manifest says they belong to these items and this embedder; otherwise null.</summary>
    private float[]? StoredEmbeddings()
    {
        var manifestPath = Path.Combine(Folder, ManifestFile);
        var embeddingPath = Path.Combine(Folder, EmbeddingsFile);
        if (items.Count == 0 || !File.Exists(manifestPath) || !File.Exists(embeddingPath)) return null;
        Manifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Manifest>(File.ReadAllText(manifestPath), ManifestJson);
        }
        catch (JsonException)
        {
            return null;
        }
        if (manifest is null || manifest.Fingerprint != Embedder.Fingerprint || manifest.Dimensions != Dimensions
            || manifest.Count != items.Count || manifest.ItemsDigest != Digest(ItemsText()))
            return null;
        var bytes = File.ReadAllBytes(embeddingPath);
        if (bytes.Length != items.Count * Dimensions * sizeof(float)) return null;
        var result = new float[items.Count * Dimensions];
        Buffer.BlockCopy(bytes, 0, result, 0, bytes.Length);
        return result;
    }

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    private static readonly JsonSerializerOptions ManifestJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed record Manifest(string Embedder, string Fingerprint, int Dimensions, int Count, string ItemsDigest);
}
