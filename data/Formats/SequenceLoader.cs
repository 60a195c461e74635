using System.Text;
using Mender.Data.Text;

namespace Mender.Data.Formats;

/// <summary>
/// The sequence format of TIGER/P5-style preprocessed data: <c>sequences.txt</c> holds one user per line,
/// <c>user_id item_id item_id ...</c> in chronological order, and <c>items.jsonl</c> (optional) holds one item per line,
/// <c>{"item_id", "asin", "title", "attributes"}</c>. Without items.jsonl, items are the ids met in the sequences.
/// Timestamps are positions in the sequence, as the format has no times.
/// </summary>
/// <remarks>
/// <c>attributes</c> lists a brand (when frequent enough) followed by category names. A brand never appears after the first
/// position, while every category does somewhere in the file, so a first attribute that never appears later in any list
/// is taken as the brand and the rest as categories. "Unknown" is the source's placeholder for a missing brand.
/// </remarks>
internal static class SequenceLoader
{
    public const string SequencesFile = "sequences.txt";
    public const string ItemsFile = "items.jsonl";

    public static Dataset Load(string sequencesPath, DatasetLoadOptions options)
    {
        var report = new LoadReport();
        var builder = new DatasetBuilder();
        var folder = Path.GetDirectoryName(Path.GetFullPath(sequencesPath))!;
        var itemsPath = DataFile.Find(folder, ItemsFile);
        var catalogue = itemsPath is null ? null : ReadItems(itemsPath, builder, options, report);
        ReadSequences(sequencesPath, builder, catalogue, options, report);
        var source = $"sequence format: {sequencesPath}" + (catalogue is null ? "" : $"; items: {itemsPath}");
        return builder.Build(Path.GetFileName(folder), source, report);
    }

    private sealed record RawItem(long Line, string Key, string? Asin, string? Title, List<string> Attributes);

    /// <summary>Reads the catalogue; returns the dense id of every item_id.</summary>
    private static Dictionary<string, int> ReadItems(string path, DatasetBuilder builder, DatasetLoadOptions options, LoadReport report)
    {
        report.AddFile(path);
        var bad = new BadLines(path, options.SkipBad, report);
        var raw = new List<RawItem>();
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var lines = new Utf8LineReader(DataFile.OpenRead(path)))
        {
            while (lines.TryReadLine(out var line))
            {
                if (line.Trim(" \t"u8).IsEmpty) continue;
                try
                {
                    var record = RecordLine.Parse(line, LineSyntax.Json);
                    var key = RecordLine.Text(record, "item_id") ?? throw new FormatException("missing field 'item_id'");
                    var item = new RawItem(lines.LineNumber, key, RecordLine.Text(record, "asin"), RecordLine.Text(record, "title"),
                        RecordLine.TextList(record, "attributes"));
                    if (!keys.TryAdd(key, -1)) throw new FormatException($"item_id {Excerpt.Of(key)} appears again");
                    raw.Add(item);
                }
                catch (FormatException ex)
                {
                    bad.Handle(lines.LineNumber, line, ex.Message);
                }
            }
        }

        var laterAttributes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in raw)
            for (var i = 1; i < item.Attributes.Count; i++)
                laterAttributes.Add(item.Attributes[i]);

        foreach (var item in raw)
        {
            var attributes = item.Attributes;
            string? brand = null;
            var categories = attributes;
            if (attributes.Count > 0 && !laterAttributes.Contains(attributes[0]))
            {
                brand = attributes[0] == "Unknown" ? null : attributes[0];
                categories = attributes.GetRange(1, attributes.Count - 1);
            }
            var externalId = item.Asin ?? item.Key;
            var id = builder.AddItem(new Item(0, externalId, item.Title ?? externalId, brand, categories));
            if (id < 0)
                throw new InvalidDataException(BadLines.Describe(path, item.Line, [], $"asin {Excerpt.Of(externalId)} appears again"));
            keys[item.Key] = id;
        }
        return keys;
    }

    private static void ReadSequences(
        string path, DatasetBuilder builder, Dictionary<string, int>? catalogue, DatasetLoadOptions options, LoadReport report)
    {
        report.AddFile(path);
        var bad = new BadLines(path, options.SkipBad, report);
        var keys = catalogue ?? new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = keys.GetAlternateLookup<ReadOnlySpan<char>>();
        var chars = new char[1024];
        var ids = new List<int>();
        using var lines = new Utf8LineReader(DataFile.OpenRead(path));
        while (lines.TryReadLine(out var line))
        {
            if (line.Trim(" \t"u8).IsEmpty) continue;
            if (chars.Length < line.Length) chars = new char[line.Length * 2];
            ReadOnlySpan<char> text = chars.AsSpan(0, Encoding.UTF8.GetChars(line, chars));
            string? user = null;
            string? problem = null;
            ids.Clear();
            foreach (var range in text.SplitAny(" \t"))
            {
                var token = text[range];
                if (token.IsEmpty) continue;
                if (user is null)
                {
                    user = token.ToString();
                    continue;
                }
                if (lookup.TryGetValue(token, out var id))
                {
                    ids.Add(id);
                }
                else if (catalogue is null)
                {
                    var key = token.ToString();
                    id = builder.ItemFor(key);
                    keys[key] = id;
                    ids.Add(id);
                }
                else
                {
                    problem = $"item id {Excerpt.Of(token)} is not in {ItemsFile}";
                    break;
                }
            }
            if (problem is null && ids.Count == 0) problem = "a user id with no items";
            if (problem is null && builder.HasUser(user!)) problem = $"user {Excerpt.Of(user)} appears again";
            if (problem is not null)
            {
                bad.Handle(lines.LineNumber, line, problem);
                continue;
            }
            var u = builder.UserFor(user!);
            for (var t = 0; t < ids.Count; t++)
                builder.Add(u, new Interaction(ids[t], t));
        }
    }
}
