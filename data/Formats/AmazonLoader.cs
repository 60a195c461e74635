namespace Mender.Data.Formats;

/// <summary>
/// Amazon review datasets as McAuley's lab publishes them: a review file (JSON lines; 2014 <c>reviews_Cat_5.json.gz</c>,
/// 2018 <c>Cat_5.json.gz</c>) and optionally a metadata file <c>meta_Cat.json.gz</c> (2014: Python dict literals;
/// 2018: JSON). Items are the reviewed products in order of first review; metadata only describes them, so its many
/// unreviewed products are not loaded. An item with no metadata keeps its asin as title.
/// </summary>
internal static class AmazonLoader
{
    public static Dataset Load(string reviewsPath, string? metaPath, DatasetLoadOptions options)
    {
        var report = new LoadReport();
        var builder = new DatasetBuilder();
        ReadReviews(reviewsPath, builder, options, report);
        var metaSyntax = metaPath is null ? (LineSyntax?)null : ReadMeta(metaPath, builder, options, report);
        var edition = DataFile.PlainName(reviewsPath).StartsWith("reviews_", StringComparison.Ordinal)
            || metaSyntax == LineSyntax.PythonLiteral ? "2014" : "2018";
        var source = $"amazon {edition} reviews: {reviewsPath}" + (metaPath is null ? "" : $"; meta: {metaPath}");
        return builder.Build(CategoryName(reviewsPath), source, report);
    }

    /// <summary>"reviews_Beauty_5.json.gz" and "Beauty_5.json.gz" name the category "Beauty".</summary>
    public static string CategoryName(string reviewsPath)
    {
        var name = DataFile.PlainName(reviewsPath);
        foreach (var suffix in (string[])[".jsonl", ".json"])
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) name = name[..^suffix.Length];
        if (name.StartsWith("reviews_", StringComparison.Ordinal)) name = name["reviews_".Length..];
        if (name.EndsWith("_5", StringComparison.Ordinal)) name = name[..^2];
        return name;
    }

    private static void ReadReviews(string path, DatasetBuilder builder, DatasetLoadOptions options, LoadReport report)
    {
        report.AddFile(path);
        var bad = new BadLines(path, options.SkipBad, report);
        using var lines = new Utf8LineReader(DataFile.OpenRead(path));
        while (lines.TryReadLine(out var line))
        {
            if (line.Trim(" \t"u8).IsEmpty) continue;
            AmazonReview review;
            try
            {
                review = AmazonReview.Parse(line);
            }
            catch (FormatException ex)
            {
                bad.Handle(lines.LineNumber, line, ex.Message);
                continue;
            }
            var user = builder.UserFor(review.User);
            var item = builder.ItemFor(review.Asin);
            builder.Add(user, new Interaction(item, review.Timestamp, review.Rating, review.Summary, review.Text));
        }
    }

    private static LineSyntax? ReadMeta(string path, DatasetBuilder builder, DatasetLoadOptions options, LoadReport report)
    {
        report.AddFile(path);
        var bad = new BadLines(path, options.SkipBad, report);
        var described = new bool[builder.ItemCount];
        LineSyntax? syntax = null;
        int unused = 0, repeated = 0;
        using var lines = new Utf8LineReader(DataFile.OpenRead(path));
        while (lines.TryReadLine(out var line))
        {
            if (line.Trim(" \t"u8).IsEmpty) continue;
            syntax ??= RecordLine.DetectSyntax(line);
            try
            {
                var record = RecordLine.Parse(line, syntax.Value);
                var asin = RecordLine.Text(record, "asin") ?? throw new FormatException("missing field 'asin'");
                if (!builder.TryGetItem(asin, out var id))
                {
                    unused++;
                    continue;
                }
                if (described[id])
                {
                    repeated++;
                    continue;
                }
                described[id] = true;
                builder.SetItem(id, Describe(builder.GetItem(id), record));
            }
            catch (FormatException ex)
            {
                bad.Handle(lines.LineNumber, line, ex.Message);
            }
        }
        var missing = described.Count(d => !d);
        if (unused > 0) report.AddNote($"{unused} meta records describe products without reviews and were not loaded");
        if (repeated > 0) report.AddNote($"{repeated} repeated meta records for the same asin ignored (the first is used)");
        if (missing > 0) report.AddNote($"{missing} reviewed items have no meta record and keep their asin as title");
        return syntax;
    }

    /// <summary>Maps a meta record of either edition: 2014 has "categories" (list of paths) and a text description;
    /// 2018 has "category" (one path) and a description given as a list of paragraphs.</summary>
    public static Item Describe(Item item, Dictionary<string, object?> record)
    {
        var categories = RecordLine.TextList(record, "categories");
        foreach (var category in RecordLine.TextList(record, "category"))
            if (!categories.Contains(category, StringComparer.Ordinal)) categories.Add(category);
        var description = RecordLine.TextList(record, "description");
        return item with
        {
            Title = RecordLine.Text(record, "title") ?? item.Title,
            Brand = RecordLine.Text(record, "brand"),
            Categories = categories,
            Price = RecordLine.Price(record, "price"),
            Description = description.Count == 0 ? null : string.Join(" ", description),
        };
    }
}
