namespace Mender.Data.Formats;

/// <summary>
/// The Steam games catalogue of Kang and McAuley (<c>steam_games.json.gz</c>): one Python dict literal per line with
/// <c>id, app_name, title, genres, tags, specs, price, developer, publisher, release_date, sentiment</c>. It has items and
/// no users. The id comes from <c>id</c>, or from the store URL (<c>/app/NNN</c>) when that field is missing; a record
/// with neither cannot be told apart from others and is left out, and a repeated id keeps its first record (both noted).
/// </summary>
internal static class SteamLoader
{
    public static Dataset Load(string path, DatasetLoadOptions options)
    {
        var report = new LoadReport();
        report.AddFile(path);
        var builder = new DatasetBuilder();
        var bad = new BadLines(path, options.SkipBad, report);
        var anonymous = new List<long>();
        var repeated = new List<string>();
        LineSyntax? syntax = null;
        using (var lines = new Utf8LineReader(DataFile.OpenRead(path)))
        {
            while (lines.TryReadLine(out var line))
            {
                if (line.Trim(" \t"u8).IsEmpty) continue;
                syntax ??= RecordLine.DetectSyntax(line);
                try
                {
                    var record = RecordLine.Parse(line, syntax.Value);
                    var id = RecordLine.Text(record, "id") ?? AppIdFromUrl(RecordLine.Text(record, "url"));
                    if (id is null)
                    {
                        anonymous.Add(lines.LineNumber);
                        continue;
                    }
                    if (builder.AddItem(ToItem(id, record)) < 0) repeated.Add($"{id} (line {lines.LineNumber})");
                }
                catch (FormatException ex)
                {
                    bad.Handle(lines.LineNumber, line, ex.Message);
                }
            }
        }
        if (anonymous.Count > 0)
            report.AddNote($"{anonymous.Count} records with neither an id nor a store URL left out (lines {string.Join(", ", anonymous.Take(10))})");
        if (repeated.Count > 0)
            report.AddNote($"{repeated.Count} repeated ids ignored (the first record is used): {string.Join(", ", repeated.Take(10))}");
        var name = DataFile.PlainName(path);
        name = name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? name[..^5] : name;
        return builder.Build(name, $"steam catalogue: {path}", report);
    }

    private static Item ToItem(string id, Dictionary<string, object?> record)
    {
        var attributes = RecordLine.TextList(record, "tags");
        foreach (var spec in RecordLine.TextList(record, "specs"))
            if (!attributes.Contains(spec, StringComparer.Ordinal)) attributes.Add(spec);
        var facts = new List<string>(3);
        if (RecordLine.Text(record, "publisher") is { } publisher) facts.Add($"Published by {publisher}.");
        if (RecordLine.Text(record, "release_date") is { } released) facts.Add($"Released {released}.");
        if (RecordLine.Text(record, "sentiment") is { } sentiment) facts.Add($"User reviews: {sentiment}.");
        return new Item(
            0,
            id,
            RecordLine.Text(record, "app_name") ?? RecordLine.Text(record, "title") ?? $"Steam app {id}",
            RecordLine.Text(record, "developer") ?? RecordLine.Text(record, "publisher"),
            RecordLine.TextList(record, "genres"),
            RecordLine.Price(record, "price"),
            facts.Count == 0 ? null : string.Join(" ", facts))
        {
            Attributes = attributes,
        };
    }

    /// <summary>The app id in a store URL such as http://store.steampowered.com/app/200260/Name/.</summary>
    private static string? AppIdFromUrl(string? url)
    {
        if (url is null) return null;
        var at = url.IndexOf("/app/", StringComparison.Ordinal);
        if (at < 0) return null;
        var digits = url.AsSpan(at + 5);
        var length = 0;
        while (length < digits.Length && char.IsAsciiDigit(digits[length])) length++;
        return length == 0 ? null : digits[..length].ToString();
    }
}
