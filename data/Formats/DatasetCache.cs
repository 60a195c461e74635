using System.Security.Cryptography;
using System.Text;

namespace Mender.Data.Formats;

/// <summary>
/// Our normalized dataset cache: a folder with <c>manifest.json</c> (sources with SHA-256, counts, producing command and
/// version) and <c>dataset.bin</c>, a compact binary image of the dataset that loads without any parsing of text formats.
/// </summary>
/// <remarks>
/// dataset.bin, little-endian, strings as 7-bit length-prefixed UTF-8 (BinaryWriter):
/// <code>
/// "MNDRDATA" int32 version
/// string name, string source
/// int32 n; n × string                       -- string table for brands, categories, attributes
/// int32 items; items × { string externalId, string title, 7bit brand+1 (0 = none), 7bit nCategories, nCategories × 7bit,
///                        7bit nAttributes, nAttributes × 7bit, byte hasPrice, [double price], byte hasDescription, [string] }
/// int32 users; users × { string externalId, 7bit n, n × { 7bit itemId, int64 timestamp, byte flags
///                        (1 rating, 2 summary, 4 review text), [float rating], [string summary], [string text] } }
/// "MNDREND!"
/// </code>
/// The manifest stores the SHA-256 of dataset.bin; a mismatch on reading means a damaged or edited cache.
/// </remarks>
public static class DatasetCache
{
    /// <summary>The version of the binary layout this build reads and writes.</summary>
    public const int FormatVersion = 1;

    /// <summary>The data file's name in a cache folder.</summary>
    public const string DataFileName = "dataset.bin";

    private static ReadOnlySpan<byte> Magic => "MNDRDATA"u8;
    private static ReadOnlySpan<byte> EndMark => "MNDREND!"u8;

    private const byte HasRating = 1, HasSummary = 2, HasText = 4;

    /// <summary>True when the folder looks like a cache (has both files).</summary>
    public static bool IsCache(string folder) =>
        File.Exists(Path.Combine(folder, CacheManifest.FileName)) && File.Exists(Path.Combine(folder, DataFileName));

    /// <summary>Writes <paramref name="dataset"/> and its manifest into <paramref name="folder"/>.</summary>
    public static CacheManifest Write(Dataset dataset, string folder, Provenance provenance)
    {
        Directory.CreateDirectory(folder);
        var dataPath = Path.Combine(folder, DataFileName);
        var temp = dataPath + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8))
            WriteData(dataset, writer);
        File.Move(temp, dataPath, overwrite: true);

        var sources = dataset.Report.Files
            .Where(File.Exists)
            .Select(f => Describe(Path.GetFullPath(f)))
            .ToArray();
        var stats = dataset.Stats();
        var manifest = new CacheManifest(
            CacheManifest.FormatName,
            FormatVersion,
            dataset.Name,
            dataset.Source,
            sources,
            Describe(dataPath) with { Path = DataFileName },
            new CacheCounts(stats.Users, stats.Items, stats.Interactions),
            dataset.Report.SkippedLines,
            dataset.Report.SkippedExamples,
            dataset.Report.Notes,
            provenance,
            DateTimeOffset.UtcNow);
        manifest.Write(folder);
        return manifest;
    }

    /// <summary>Reads the cache in <paramref name="folder"/>.</summary>
    public static Dataset Read(string folder)
    {
        var manifest = CacheManifest.Read(folder);
        var dataPath = Path.Combine(folder, DataFileName);
        if (!File.Exists(dataPath)) throw new FileNotFoundException($"{dataPath} is missing beside its manifest", dataPath);
        var bytes = File.ReadAllBytes(dataPath);
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(hash, manifest.Data.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{dataPath} does not match the SHA-256 in its manifest: the cache is damaged; import the data again");

        Dataset dataset;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
            dataset = ReadData(reader, dataPath, manifest);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException($"{dataPath} ends early: the cache is damaged", ex);
        }

        var stats = (dataset.Users.Count, dataset.Items.Count, dataset.InteractionCount);
        if (stats != (manifest.Counts.Users, manifest.Counts.Items, manifest.Counts.Interactions))
            throw new InvalidDataException(
                $"{dataPath} holds {stats.Item1} users, {stats.Item2} items, {stats.Item3} interactions but the manifest says " +
                $"{manifest.Counts.Users}, {manifest.Counts.Items}, {manifest.Counts.Interactions}");
        dataset.Validate();
        return dataset;
    }

    private static SourceFile Describe(string path)
    {
        using var stream = File.OpenRead(path);
        return new SourceFile(path, stream.Length, Convert.ToHexStringLower(SHA256.HashData(stream)));
    }

    private static void WriteData(Dataset dataset, BinaryWriter writer)
    {
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(dataset.Name);
        writer.Write(dataset.Source);

        var table = new Dictionary<string, int>(StringComparer.Ordinal);
        var strings = new List<string>();
        int Intern(string s)
        {
            if (!table.TryGetValue(s, out var index))
            {
                index = strings.Count;
                table.Add(s, index);
                strings.Add(s);
            }
            return index;
        }
        foreach (var item in dataset.Items)
        {
            if (item.Brand is not null) Intern(item.Brand);
            foreach (var c in item.Categories) Intern(c);
            foreach (var a in item.Attributes) Intern(a);
        }
        writer.Write(strings.Count);
        foreach (var s in strings) writer.Write(s);

        writer.Write(dataset.Items.Count);
        foreach (var item in dataset.Items)
        {
            writer.Write(item.ExternalId);
            writer.Write(item.Title);
            writer.Write7BitEncodedInt(item.Brand is null ? 0 : table[item.Brand] + 1);
            writer.Write7BitEncodedInt(item.Categories.Count);
            foreach (var c in item.Categories) writer.Write7BitEncodedInt(table[c]);
            writer.Write7BitEncodedInt(item.Attributes.Count);
            foreach (var a in item.Attributes) writer.Write7BitEncodedInt(table[a]);
            writer.Write(item.Price is not null);
            if (item.Price is { } price) writer.Write(price);
            writer.Write(item.Description is not null);
            if (item.Description is not null) writer.Write(item.Description);
        }

        writer.Write(dataset.Users.Count);
        foreach (var user in dataset.Users)
        {
            writer.Write(user.ExternalId);
            writer.Write7BitEncodedInt(user.Interactions.Count);
            foreach (var interaction in user.Interactions)
            {
                writer.Write7BitEncodedInt(interaction.ItemId);
                writer.Write(interaction.Timestamp);
                var flags = (byte)((interaction.Rating is null ? 0 : HasRating)
                    | (interaction.Summary is null ? 0 : HasSummary)
                    | (interaction.ReviewText is null ? 0 : HasText));
                writer.Write(flags);
                if (interaction.Rating is { } rating) writer.Write(rating);
                if (interaction.Summary is not null) writer.Write(interaction.Summary);
                if (interaction.ReviewText is not null) writer.Write(interaction.ReviewText);
            }
        }
        writer.Write(EndMark);
    }

    private static Dataset ReadData(BinaryReader reader, string path, CacheManifest manifest)
    {
        Span<byte> mark = stackalloc byte[8];
        reader.BaseStream.ReadExactly(mark);
        if (!mark.SequenceEqual(Magic)) throw new InvalidDataException($"{path} is not a Mender dataset file");
        var version = reader.ReadInt32();
        if (version != FormatVersion)
            throw new InvalidDataException($"{path} has format version {version}, this build reads version {FormatVersion}");
        var name = reader.ReadString();
        var source = reader.ReadString();

        var strings = new string[Count(reader.ReadInt32(), path, "string table")];
        for (var i = 0; i < strings.Length; i++) strings[i] = reader.ReadString();
        string Lookup(int index) => (uint)index < (uint)strings.Length
            ? strings[index]
            : throw new InvalidDataException($"{path}: string index {index} outside the table of {strings.Length}");
        string[] ReadList()
        {
            var list = new string[Count(reader.Read7BitEncodedInt(), path, "list")];
            for (var i = 0; i < list.Length; i++) list[i] = Lookup(reader.Read7BitEncodedInt());
            return list;
        }

        var items = new Item[Count(reader.ReadInt32(), path, "item count")];
        for (var i = 0; i < items.Length; i++)
        {
            var externalId = reader.ReadString();
            var title = reader.ReadString();
            var brand = reader.Read7BitEncodedInt();
            var categories = ReadList();
            var attributes = ReadList();
            double? price = reader.ReadBoolean() ? reader.ReadDouble() : null;
            var description = reader.ReadBoolean() ? reader.ReadString() : null;
            items[i] = new Item(i, externalId, title, brand == 0 ? null : Lookup(brand - 1), categories, price, description)
            {
                Attributes = attributes,
            };
        }

        var users = new User[Count(reader.ReadInt32(), path, "user count")];
        for (var u = 0; u < users.Length; u++)
        {
            var externalId = reader.ReadString();
            var history = new Interaction[Count(reader.Read7BitEncodedInt(), path, "history length")];
            for (var t = 0; t < history.Length; t++)
            {
                var item = reader.Read7BitEncodedInt();
                var timestamp = reader.ReadInt64();
                var flags = reader.ReadByte();
                float? rating = (flags & HasRating) != 0 ? reader.ReadSingle() : null;
                var summary = (flags & HasSummary) != 0 ? reader.ReadString() : null;
                var text = (flags & HasText) != 0 ? reader.ReadString() : null;
                history[t] = new Interaction(item, timestamp, rating, summary, text);
            }
            users[u] = new User(u, externalId, history);
        }

        reader.BaseStream.ReadExactly(mark);
        if (!mark.SequenceEqual(EndMark) || reader.BaseStream.Position != reader.BaseStream.Length)
            throw new InvalidDataException($"{path} does not end where its contents do: the cache is damaged");

        var report = new LoadReport();
        report.AddFile(Path.Combine(Path.GetDirectoryName(path)!, CacheManifest.FileName));
        report.AddFile(path);
        report.AddSkipped(manifest.SkippedLines, manifest.SkippedExamples);
        foreach (var note in manifest.Notes) report.AddNote(note);
        return new Dataset(name, items, users) { Source = $"cache of {source}", Report = report };
    }

    private static int Count(int value, string path, string what) =>
        value >= 0 ? value : throw new InvalidDataException($"{path}: negative {what} {value}: the cache is damaged");
}
