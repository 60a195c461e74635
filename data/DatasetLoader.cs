using Mender.Data.Formats;

namespace Mender.Data;

/// <summary>The files of a recognised dataset: the main file, and the companion meta file for Amazon reviews.</summary>
public sealed record DatasetLocation(DatasetFormat Format, string Path, string? MetaPath = null);

/// <summary>
/// Loads a dataset from a folder or a file, recognising the format from file names and, for JSON-like files, from the
/// first record. gzip is read transparently. See <see cref="DatasetFormat"/> for the formats.
/// </summary>
public static class DatasetLoader
{
    /// <summary>Loads the dataset in <paramref name="path"/>, a folder or a file of any supported format.</summary>
    public static Dataset Load(string path, DatasetLoadOptions? options = null)
    {
        options ??= DatasetLoadOptions.Default;
        var location = Locate(path);
        var dataset = location.Format switch
        {
            DatasetFormat.Cache => DatasetCache.Read(location.Path),
            DatasetFormat.AmazonReviews => AmazonLoader.Load(location.Path, location.MetaPath, options),
            DatasetFormat.AmazonMeta => AmazonCatalogue(location.Path, options),
            DatasetFormat.Sequence => SequenceLoader.Load(location.Path, options),
            DatasetFormat.RecBole => RecBoleLoader.Load(location.Path, options),
            DatasetFormat.Steam => SteamLoader.Load(location.Path, options),
            _ => throw new InvalidOperationException($"no loader for {location.Format}"),
        };
        if (options.KCore is { } k) dataset = KCoreFilter.Apply(dataset, k);
        return dataset;
    }

    /// <summary>Recognises the dataset at a path without loading it.</summary>
    public static DatasetLocation Locate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path)) return LocateInFolder(Path.GetFullPath(path));
        if (!File.Exists(path)) throw new FileNotFoundException($"no dataset at '{path}': no such file or folder", path);
        return LocateFile(Path.GetFullPath(path))
            ?? throw new InvalidDataException($"'{path}' is not a dataset file this loader knows. {Expected}");
    }

    private const string Expected =
        "Expected a dataset cache (manifest.json + dataset.bin), sequences.txt (+ items.jsonl), a RecBole .inter file, " +
        "Amazon review JSON lines (+ meta_<Category>.json.gz), or the Steam games catalogue.";

    private static DatasetLocation LocateInFolder(string folder)
    {
        if (DatasetCache.IsCache(folder)) return new DatasetLocation(DatasetFormat.Cache, folder);
        if (DataFile.Find(folder, SequenceLoader.SequencesFile) is { } sequences) return new DatasetLocation(DatasetFormat.Sequence, sequences);

        var inter = Directory.GetFiles(folder, "*.inter");
        if (inter.Length == 1) return new DatasetLocation(DatasetFormat.RecBole, inter[0]);
        if (inter.Length > 1)
            throw new InvalidDataException($"'{folder}' holds several RecBole .inter files ({Names(inter)}); give one of them");

        var candidates = Directory.GetFiles(folder)
            .Where(f => IsJsonLike(DataFile.PlainName(f)))
            .Order(StringComparer.Ordinal)
            .Select(LocateFile)
            .OfType<DatasetLocation>()
            .ToArray();
        var primary = candidates.Where(c => c.Format is DatasetFormat.AmazonReviews or DatasetFormat.Steam).ToArray();
        if (primary.Length == 1) return primary[0];
        if (primary.Length > 1)
            throw new InvalidDataException($"'{folder}' holds several datasets ({Names(primary.Select(p => p.Path))}); give one file");
        if (candidates.Length == 1) return candidates[0];
        if (candidates.Length > 1)
            throw new InvalidDataException($"'{folder}' holds several datasets ({Names(candidates.Select(p => p.Path))}); give one file");
        throw new InvalidDataException($"no dataset recognised in '{folder}'. {Expected}");
    }

    private static DatasetLocation? LocateFile(string file)
    {
        var name = DataFile.PlainName(file);
        var folder = Path.GetDirectoryName(file)!;
        if (name == CacheManifest.FileName || name == DatasetCache.DataFileName)
            return DatasetCache.IsCache(folder) ? new DatasetLocation(DatasetFormat.Cache, folder) : null;
        if (name == SequenceLoader.SequencesFile) return new DatasetLocation(DatasetFormat.Sequence, file);
        if (name.EndsWith(".inter", StringComparison.Ordinal)) return new DatasetLocation(DatasetFormat.RecBole, file);
        if (!IsJsonLike(name)) return null;

        var kind = SniffRecord(file);
        if (kind == RecordKind.Review) return new DatasetLocation(DatasetFormat.AmazonReviews, file, FindMeta(file));
        if (kind == RecordKind.Steam) return new DatasetLocation(DatasetFormat.Steam, file);
        if (kind == RecordKind.ProductMeta) return new DatasetLocation(DatasetFormat.AmazonMeta, file);
        return null;
    }

    private static bool IsJsonLike(string plainName) =>
        plainName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || plainName.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);

    /// <summary>meta_Beauty.json(.gz) beside reviews_Beauty_5.json.gz (2014) or Beauty_5.json.gz / Beauty.json.gz (2018).</summary>
    private static string? FindMeta(string reviews)
    {
        var category = AmazonLoader.CategoryName(reviews);
        var folder = Path.GetDirectoryName(reviews)!;
        foreach (var candidate in (string[])[$"meta_{category}.json.gz", $"meta_{category}.json", $"meta_{category}.jsonl.gz", $"meta_{category}.jsonl"])
        {
            var path = Path.Combine(folder, candidate);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    private enum RecordKind
    {
        Unknown,
        Review,
        ProductMeta,
        Steam,
    }

    /// <summary>Classifies a JSON-lines or literal-lines file by the fields of its first record.</summary>
    private static RecordKind SniffRecord(string file)
    {
        using var lines = new Utf8LineReader(DataFile.OpenRead(file));
        while (lines.TryReadLine(out var line))
        {
            if (line.Trim(" \t"u8).IsEmpty) continue;
            Dictionary<string, object?> record;
            try
            {
                record = RecordLine.Parse(line, RecordLine.DetectSyntax(line));
            }
            catch (FormatException)
            {
                // The first record is broken; name-based guesses still let the loader report it with its line number.
                var name = DataFile.PlainName(file);
                return name.StartsWith("meta_", StringComparison.Ordinal) ? RecordKind.ProductMeta
                    : name.Contains("steam", StringComparison.OrdinalIgnoreCase) ? RecordKind.Steam
                    : RecordKind.Review;
            }
            if (record.ContainsKey("reviewerID")) return RecordKind.Review;
            if (record.ContainsKey("asin")) return RecordKind.ProductMeta;
            if (record.ContainsKey("app_name") || record.ContainsKey("url") && record.ContainsKey("early_access")) return RecordKind.Steam;
            return RecordKind.Unknown;
        }
        return RecordKind.Unknown;
    }

    private static Dataset AmazonCatalogue(string metaPath, DatasetLoadOptions options)
    {
        var report = new LoadReport();
        report.AddFile(metaPath);
        var builder = new DatasetBuilder();
        var bad = new BadLines(metaPath, options.SkipBad, report);
        LineSyntax? syntax = null;
        var repeated = 0;
        using (var lines = new Utf8LineReader(DataFile.OpenRead(metaPath)))
        {
            while (lines.TryReadLine(out var line))
            {
                if (line.Trim(" \t"u8).IsEmpty) continue;
                syntax ??= RecordLine.DetectSyntax(line);
                try
                {
                    var record = RecordLine.Parse(line, syntax.Value);
                    var asin = RecordLine.Text(record, "asin") ?? throw new FormatException("missing field 'asin'");
                    if (builder.AddItem(AmazonLoader.Describe(new Item(0, asin, asin), record)) < 0) repeated++;
                }
                catch (FormatException ex)
                {
                    bad.Handle(lines.LineNumber, line, ex.Message);
                }
            }
        }
        if (repeated > 0) report.AddNote($"{repeated} repeated meta records for the same asin ignored (the first is used)");
        var name = DataFile.PlainName(metaPath);
        return builder.Build(name[..name.IndexOf('.')], $"amazon meta catalogue: {metaPath}", report);
    }

    private static string Names(IEnumerable<string> paths) => string.Join(", ", paths.Select(Path.GetFileName));
}
