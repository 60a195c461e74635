using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace Mender.Recommender.Embeddings;

/// <summary>
/// Embeddings kept on disk, keyed by the SHA-256 of the text and the embedder's identity, so that a second run, or a run
/// that was interrupted, embeds only what is missing. One folder per embedder key holds
/// <list type="bullet">
/// <item><c>vectors.f32</c>: row-major little-endian float32, one row of <c>dimensions</c> values per cached text;</item>
/// <item><c>index.tsv</c>: a header line <c># mender embedding cache v1\t{key}\t{dimensions}</c>, then one line
/// <c>{first 32 hex digits of the text's SHA-256}\t{row}</c> per row, rows numbered 0, 1, 2, ...</item>
/// </list>
/// Rows are appended to <c>vectors.f32</c> before their index lines, so a crash leaves at worst unindexed rows at the end,
/// which the next open cuts off.
/// </summary>
public sealed class EmbeddingCache
{
    private const string Magic = "# mender embedding cache v1";
    private readonly Dictionary<UInt128, int> rows = [];
    private readonly List<float> vectors = [];
    private readonly string vectorsPath;
    private readonly string indexPath;

    private EmbeddingCache(string folder, string key)
    {
        Folder = folder;
        Key = key;
        vectorsPath = Path.Combine(folder, "vectors.f32");
        indexPath = Path.Combine(folder, "index.tsv");
    }

    /// <summary>The folder the cache lives in.</summary>
    public string Folder { get; }
    /// <summary>The key of the embedder the cache belongs to; other embedders get other files.</summary>
    public string Key { get; }

    /// <summary>Embedding width, or 0 while the cache is empty and no embedding has fixed it yet.</summary>
    public int Dimensions { get; private set; }

    /// <summary>The number of texts cached.</summary>
    public int Count => this.rows.Count;

    /// <summary>Opens (or prepares to create) the cache for <paramref name="embedderKey"/> under <paramref name="root"/>.</summary>
    public static EmbeddingCache Open(string root, string embedderKey)
    {
        if (string.IsNullOrWhiteSpace(embedderKey)) throw new ArgumentException("embedder key must not be empty");
        var cache = new EmbeddingCache(Path.Combine(root, FolderName(embedderKey)), embedderKey);
        cache.Load();
        return cache;
    }

    /// <summary>A file-system-safe folder name for a key: the key with unsafe characters replaced, plus a digest when it had any.</summary>
    internal static string FolderName(string key)
    {
        var safe = new StringBuilder(key.Length);
        foreach (var c in key) safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        if (safe.ToString() == key && key.Length <= 96 && key[0] != '.') return key;
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
        return (safe.Length > 80 ? safe.ToString(0, 80) : safe.ToString()) + "-" + digest;
    }

    /// <summary>The 128-bit hash a text is cached under.</summary>
    public static UInt128 HashText(string text)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), digest);
        return new UInt128(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(digest),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(digest[8..]));
    }

    /// <summary>True when the text's embedding is cached.</summary>
    public bool Contains(string text) => this.rows.ContainsKey(HashText(text));

    /// <summary>Copies the text's cached embedding into the destination; false when it is not cached.</summary>
    public bool TryGet(string text, Span<float> destination)
    {
        if (!this.rows.TryGetValue(HashText(text), out var row)) return false;
        if (destination.Length != Dimensions) throw new ArgumentException($"destination holds {destination.Length} values, the cache {Dimensions}");
        CollectionsMarshal.AsSpan(this.vectors).Slice(row * Dimensions, Dimensions).CopyTo(destination);
        return true;
    }

    /// <summary>Appends embeddings for texts not yet cached and makes them durable before returning.</summary>
    public void Add(IReadOnlyList<string> texts, IReadOnlyList<ReadOnlyMemory<float>> vectors)
    {
        if (texts.Count != vectors.Count) throw new ArgumentException("one vector per text is required");
        if (texts.Count == 0) return;
        if (Dimensions == 0) Dimensions = vectors[0].Length;
        if (Dimensions == 0) throw new InvalidDataException("embedder returned an empty embedding");
        Directory.CreateDirectory(Folder);
        if (!File.Exists(indexPath))
            File.WriteAllText(indexPath, $"{Magic}\t{Key}\t{Dimensions.ToString(CultureInfo.InvariantCulture)}\n");

        var lines = new StringBuilder();
        using (var stream = new FileStream(vectorsPath, FileMode.Append, FileAccess.Write))
        {
            for (var i = 0; i < texts.Count; i++)
            {
                var hash = HashText(texts[i]);
                if (this.rows.ContainsKey(hash)) continue;
                var vector = vectors[i].Span;
                if (vector.Length != Dimensions)
                    throw new InvalidDataException($"embedder '{Key}' returned {vector.Length} dimensions where the cache holds {Dimensions}");
                stream.Write(MemoryMarshal.AsBytes(vector));
                var row = this.rows.Count;
                this.rows[hash] = row;
                foreach (var value in vector) this.vectors.Add(value);
                lines.Append(Hex(hash)).Append('\t').Append(row.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            stream.Flush(flushToDisk: true);
        }
        File.AppendAllText(indexPath, lines.ToString());
    }

    /// <summary>
    /// The embeddings of <paramref name="texts"/> as a row-major matrix, generating the missing ones in batches (each
    /// batch cached as soon as it is done). <paramref name="generator"/> is only called for when something is missing,
    /// so an expensive embedder is not even built on a fully cached run.
    /// </summary>
    public async Task<float[]> GetOrGenerateAsync(IReadOnlyList<string> texts,
        Func<CancellationToken, Task<IEmbeddingGenerator<string, Embedding<float>>>> generator,
        int batchSize = 64, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var missing = texts.Where(t => !Contains(t)).Distinct(StringComparer.Ordinal).ToList();
        progress?.Report((texts.Count - missing.Count, texts.Count));
        if (missing.Count > 0)
        {
            var embedder = await generator(cancellation).ConfigureAwait(false);
            for (var start = 0; start < missing.Count; start += batchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                var batch = missing.GetRange(start, Math.Min(batchSize, missing.Count - start));
                var embeddings = await embedder.GenerateAsync(batch, null, cancellation).ConfigureAwait(false);
                if (embeddings.Count != batch.Count)
                    throw new InvalidDataException($"embedder '{Key}' returned {embeddings.Count} embeddings for {batch.Count} texts");
                Add(batch, embeddings.Select(e => e.Vector).ToArray());
                progress?.Report((texts.Count - missing.Count + start + batch.Count, texts.Count));
            }
        }

        var matrix = new float[(long)texts.Count * Dimensions];
        for (var i = 0; i < texts.Count; i++)
            TryGet(texts[i], matrix.AsSpan(i * Dimensions, Dimensions));
        return matrix;
    }

    private void Load()
    {
        if (!File.Exists(indexPath)) return;
        var lines = File.ReadAllLines(indexPath);
        var header = lines.Length > 0 ? lines[0].Split('\t') : [];
        if (header.Length != 3 || header[0] != Magic || !int.TryParse(header[2], CultureInfo.InvariantCulture, out var dimensions) || dimensions < 1)
            throw new InvalidDataException($"{indexPath}: line 1 is not an embedding cache header");
        if (header[1] != Key)
            throw new InvalidDataException($"{indexPath}: cache belongs to embedder '{header[1]}', not '{Key}'");
        Dimensions = dimensions;

        var rowBytes = (long)dimensions * sizeof(float);
        var available = File.Exists(vectorsPath) ? new FileInfo(vectorsPath).Length / rowBytes : 0;
        for (var n = 1; n < lines.Length; n++)
        {
            var line = lines[n];
            if (line.Length == 0) continue;
            var parts = line.Split('\t');
            if (parts.Length != 2 || parts[0].Length != 32
                || !UInt128.TryParse(parts[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hash)
                || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var row))
            {
                // An interrupted append can leave a torn last line; anything else is corruption.
                if (n == lines.Length - 1) break;
                throw new InvalidDataException($"{indexPath}: line {n + 1} is not 'hash<TAB>row'");
            }
            if (row != this.rows.Count)
                throw new InvalidDataException($"{indexPath}: line {n + 1} names row {row}, expected {this.rows.Count}");
            if (row >= available) break;
            this.rows[hash] = row;
        }

        var keep = this.rows.Count * rowBytes;
        if (keep == 0 && !File.Exists(vectorsPath)) return;
        using var stream = new FileStream(vectorsPath, FileMode.Open, FileAccess.ReadWrite);
        if (stream.Length > keep) stream.SetLength(keep);
        var floats = new float[this.rows.Count * dimensions];
        stream.ReadExactly(MemoryMarshal.AsBytes(floats.AsSpan()));
        this.vectors.AddRange(floats);
        if (lines.Length - 1 > this.rows.Count) RewriteIndex();
    }

    /// <summary>Rewrites the index to exactly the rows kept, after a torn write was cut off.</summary>
    private void RewriteIndex()
    {
        var text = new StringBuilder($"{Magic}\t{Key}\t{Dimensions.ToString(CultureInfo.InvariantCulture)}\n");
        foreach (var (hash, row) in this.rows.OrderBy(kv => kv.Value))
            text.Append(Hex(hash)).Append('\t').Append(row.ToString(CultureInfo.InvariantCulture)).Append('\n');
        var temp = indexPath + ".tmp";
        File.WriteAllText(temp, text.ToString());
        File.Move(temp, indexPath, overwrite: true);
    }

    private static string Hex(UInt128 hash) => hash.ToString("x32", CultureInfo.InvariantCulture);
}
