using System.Globalization;
using System.Text;
using Mender.Data.Text;

namespace Mender.Data.Formats;

/// <summary>
/// RecBole atomic files: <c>name.inter</c> with optional <c>name.item</c> and <c>name.user</c> beside it. Each is
/// tab-separated with a typed header, <c>field:token</c>, <c>field:float</c>, <c>field:token_seq</c> or
/// <c>field:float_seq</c> (sequences are space-separated). Interactions need <c>user_id</c> and <c>item_id</c>; rating and
/// timestamp are optional. The item file, when present, is the catalogue (all its items are kept, rated or not) and fixes
/// the item order; the user file fixes the user order.
/// </summary>
internal static class RecBoleLoader
{
    private static readonly string[] TitleFields = ["title", "movie_title", "item_name", "name", "app_name"];
    private static readonly string[] CategoryFields = ["categories", "category", "class", "genre", "genres"];

    private enum FieldType
    {
        Token,
        TokenSeq,
        Float,
        FloatSeq,
    }

    private sealed record Header(string[] Names, FieldType[] Types)
    {
        public int IndexOf(string name) => Array.IndexOf(Names, name);
    }

    public static Dataset Load(string interPath, DatasetLoadOptions options)
    {
        var report = new LoadReport();
        var builder = new DatasetBuilder();
        var stem = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(interPath))!, Path.GetFileNameWithoutExtension(interPath));
        var itemPath = stem + ".item";
        var userPath = stem + ".user";
        if (File.Exists(itemPath)) ReadItems(itemPath, builder, options, report);
        if (File.Exists(userPath)) ReadUsers(userPath, builder, options, report);
        ReadInteractions(interPath, builder, options, report);
        var source = $"recbole atomic files: {string.Join(", ", report.Files)}";
        return builder.Build(Path.GetFileName(stem), source, report);
    }

    private static void ReadInteractions(string path, DatasetBuilder builder, DatasetLoadOptions options, LoadReport report)
    {
        ReadTable(path, options, report, header =>
        {
            var user = Require(header, path, "user_id");
            var item = Require(header, path, "item_id");
            var rating = header.IndexOf("rating");
            var time = header.IndexOf("timestamp");
            return fields =>
            {
                var u = builder.UserFor(Token(fields[user], "user_id"));
                var i = builder.ItemFor(Token(fields[item], "item_id"));
                var score = rating >= 0 ? Number(fields[rating], "rating") : null;
                var stamp = time >= 0 ? Number(fields[time], "timestamp") : null;
                builder.Add(u, new Interaction(i, stamp is { } t ? (long)t : builder.HistoryLength(u), (float?)score));
            };
        });
    }

    private static void ReadItems(string path, DatasetBuilder builder, DatasetLoadOptions options, LoadReport report)
    {
        var repeated = 0;
        ReadTable(path, options, report, header =>
        {
            var id = Require(header, path, "item_id");
            var title = FirstPresent(header, TitleFields);
            var categories = FirstPresent(header, CategoryFields);
            var brand = header.IndexOf("brand");
            var price = header.IndexOf("price");
            var description = header.IndexOf("description");
            int[] used = [id, title, categories, brand, price, description];
            var others = Enumerable.Range(0, header.Names.Length).Where(c => !used.Contains(c)).ToArray();
            return fields =>
            {
                var externalId = Token(fields[id], "item_id");
                var attributes = others.Where(c => fields[c].Length > 0).Select(c => $"{header.Names[c]}: {fields[c]}").ToArray();
                var item = new Item(
                    0,
                    externalId,
                    title >= 0 && fields[title].Length > 0 ? fields[title] : externalId,
                    brand >= 0 && fields[brand].Length > 0 ? fields[brand] : null,
                    categories >= 0 ? Split(fields[categories], header.Types[categories]) : null,
                    price >= 0 ? Number(fields[price], "price") : null,
                    description >= 0 && fields[description].Length > 0 ? fields[description] : null)
                {
                    Attributes = attributes,
                };
                if (builder.AddItem(item) < 0) repeated++;
            };
        });
        if (repeated > 0) report.AddNote($"{repeated} repeated item ids in {path} ignored (the first is used)");
    }

    private static void ReadUsers(string path, DatasetBuilder builder, DatasetLoadOptions options, LoadReport report)
    {
        ReadTable(path, options, report, header =>
        {
            var id = Require(header, path, "user_id");
            return fields => builder.UserFor(Token(fields[id], "user_id"));
        });
    }

    /// <summary>Reads a header, then hands every data line, split into exactly as many fields as the header names, to the row reader.</summary>
    private static void ReadTable(string path, DatasetLoadOptions options, LoadReport report, Func<Header, Action<string[]>> rowReader)
    {
        report.AddFile(path);
        var bad = new BadLines(path, options.SkipBad, report);
        using var lines = new Utf8LineReader(DataFile.OpenRead(path));
        if (!lines.TryReadLine(out var first)) throw new InvalidDataException($"{path}: empty file, expected a typed header");
        var header = ParseHeader(path, first);
        var read = rowReader(header);
        var fields = new string[header.Names.Length];
        while (lines.TryReadLine(out var line))
        {
            if (line.IsEmpty) continue;
            try
            {
                SplitFields(line, fields);
                read(fields);
            }
            catch (FormatException ex)
            {
                bad.Handle(lines.LineNumber, line, ex.Message);
            }
        }
    }

    private static Header ParseHeader(string path, ReadOnlySpan<byte> line)
    {
        var columns = Encoding.UTF8.GetString(line).Split('\t');
        var names = new string[columns.Length];
        var types = new FieldType[columns.Length];
        for (var c = 0; c < columns.Length; c++)
        {
            var colon = columns[c].LastIndexOf(':');
            if (colon <= 0)
                throw new InvalidDataException(BadLines.Describe(path, 1, line, $"header field '{columns[c]}' has no ':type'"));
            names[c] = columns[c][..colon].Trim();
            types[c] = columns[c][(colon + 1)..].Trim() switch
            {
                "token" => FieldType.Token,
                "token_seq" => FieldType.TokenSeq,
                "float" => FieldType.Float,
                "float_seq" => FieldType.FloatSeq,
                var other => throw new InvalidDataException(BadLines.Describe(path, 1, line,
                    $"header field '{names[c]}' has unknown type '{other}' (expected token, token_seq, float or float_seq)")),
            };
        }
        return new Header(names, types);
    }

    private static void SplitFields(ReadOnlySpan<byte> line, string[] fields)
    {
        var count = 0;
        foreach (var range in line.Split((byte)'\t'))
        {
            if (count == fields.Length) throw new FormatException($"more than the {fields.Length} fields the header names");
            fields[count++] = Encoding.UTF8.GetString(line[range]).Trim();
        }
        if (count != fields.Length) throw new FormatException($"{count} fields where the header names {fields.Length}");
    }

    private static int Require(Header header, string path, string name)
    {
        var index = header.IndexOf(name);
        if (index < 0)
            throw new InvalidDataException($"{path}: the header has no '{name}' field (it has {string.Join(", ", header.Names)})");
        return index;
    }

    private static int FirstPresent(Header header, string[] names)
    {
        foreach (var name in names)
        {
            var index = header.IndexOf(name);
            if (index >= 0) return index;
        }
        return -1;
    }

    private static string Token(string value, string field) =>
        value.Length > 0 ? value : throw new FormatException($"empty {field}");

    private static double? Number(string value, string field)
    {
        if (value.Length == 0) return null;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return number;
        throw new FormatException($"{field} is not a number: \"{Excerpt.Of(value)}\"");
    }

    private static string[] Split(string value, FieldType type) =>
        type is FieldType.TokenSeq or FieldType.FloatSeq
            ? value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : value.Length > 0 ? [value] : [];
}
