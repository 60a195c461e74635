using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Mender.Benchmark.Axes;

namespace Mender.Benchmark.Runs;

/// <summary>
/// Writes a benchmark report three ways: report.json (everything, for machines), report.md (the tables) and report.html
/// (the tables and CSS bar charts in one self-contained file: no script, no external style sheet or font).
/// </summary>
public static class ReportFiles
{
    /// <summary>The report with every figure, for machines; <see cref="Read"/> reads it back.</summary>
    public const string JsonFile = "report.json";
    /// <summary>The report's tables, for reading as text.</summary>
    public const string MarkdownFile = "report.md";
    /// <summary>The tables and bar charts as one self-contained web page.</summary>
    public const string HtmlFile = "report.html";

    /// <summary>Writes the report's three files into the folder, creating it if needed.</summary>
    public static void Write(BenchmarkReport report, string folder)
    {
        Directory.CreateDirectory(folder);
        Save(Path.Combine(folder, JsonFile), JsonSerializer.Serialize(report, BenchmarkFiles.Json) + "\n");
        Save(Path.Combine(folder, MarkdownFile), Markdown(report));
        Save(Path.Combine(folder, HtmlFile), Html(report));
    }

    /// <summary>A report.json written by <see cref="Write"/>.</summary>
    public static BenchmarkReport Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"benchmark report {path} does not exist", path);
        try
        {
            return JsonSerializer.Deserialize<BenchmarkReport>(File.ReadAllText(path), BenchmarkFiles.Json)
                ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a benchmark report: {e.Message}", e);
        }
    }

    /// <summary>The report as Markdown: a summary table, every axis's figures, sentiment following and the recommenders.</summary>
    public static string Markdown(BenchmarkReport report)
    {
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Preference discerning benchmark: {report.Dataset}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Benchmark `{report.Bench}` (seed {report.Manifest.Seed}, preferences by {report.Manifest.Extractor ?? "?"}, embedder {report.Manifest.Embedder}); {report.CreatedAt}.\n\n");
        md.Append("## Summary (Recall@10; sentiment: combined@10)\n\n");
        md.Append("| method | ").Append(string.Join(" | ", BenchmarkAxes.All.Select(a => a.Title()))).Append(" |\n");
        md.Append("|---|").Append(string.Concat(BenchmarkAxes.All.Select(_ => "---:|"))).Append('\n');
        foreach (var r in report.Recommenders)
            md.Append("| ").Append(r.Name).Append(" | ").Append(string.Join(" | ", r.Axes.Select(a => F(a.Headline)))).Append(" |\n");

        md.Append("\n## All axes\n\n| axis | method | samples | R@5 | R@10 | N@5 | N@10 | paired R@10 |\n|---|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var axis in BenchmarkAxes.All)
            foreach (var (r, a) in Scores(report, axis))
                md.Append(CultureInfo.InvariantCulture, $"| {axis.Title()} | {r.Name} | {a.Samples} | {F(a.RecallAt5)} | {F(a.RecallAt10)} | {F(a.NdcgAt5)} | {F(a.NdcgAt10)} | {(a.PairedRecallAt10 is { } paired ? F(paired) : "")} |\n");
        md.Append("\nOn the sentiment axis R and N are measured with the positive preference. Paired R@10 (steering): how often the top 10 holds the paired item, where the swapped-in history leads.\n");
        md.Append("A query's preferences (all of the step's on the consolidation axis) are combined as the chat API combines a conversation's turns: a later preference overrides an earlier one it contradicts, and negatives stay negative through the polar encoding.\n");

        md.Append("\n## Sentiment following\n\n| method | samples | pos R@5 | pos R@10 | neg R@5 ↓ | neg R@10 ↓ | combined@5 | combined@10 |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var (r, a) in Scores(report, BenchmarkAxis.Sentiment))
            if (a.Sentiment is { } s)
                md.Append(CultureInfo.InvariantCulture,
                    $"| {r.Name} | {a.Samples} | {F(s.PositiveRecallAt5)} | {F(s.PositiveRecallAt10)} | {F(s.NegativeRecallAt5)} | {F(s.NegativeRecallAt10)} | {F(s.CombinedAt5)} | {F(s.CombinedAt10)} |\n");
        md.Append("\nCombined@k: the share of samples whose item is in the top-k with the positive preference and out of it with the negative one.\n");

        md.Append("\n## Recommenders\n\n");
        foreach (var r in report.Recommenders)
            md.Append(CultureInfo.InvariantCulture, $"- **{r.Name}**: {r.Source} ({r.Seconds:F1} s)\n");
        return md.ToString();
    }

    /// <summary>The report as a self-contained HTML page with CSS bar charts.</summary>
    public static string Html(BenchmarkReport report)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.Append(CultureInfo.InvariantCulture, $"<title>Mender benchmark: {E(report.Dataset)}</title>\n");
        h.Append("""
            <style>
            body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 70rem; }
            table { border-collapse: collapse; margin: 1rem 0; }
            th, td { border: 1px solid #ccc; padding: 0.3rem 0.6rem; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            th { background: #f3f3f3; }
            .chart { margin: 0.5rem 0 1.5rem; }
            .row { display: flex; align-items: center; margin: 0.2rem 0; }
            .label { width: 10rem; }
            .track { flex: 1; background: #eee; height: 1.1rem; max-width: 40rem; }
            .bar { background: #3b6fb6; height: 100%; }
            .value { width: 5rem; text-align: right; font-variant-numeric: tabular-nums; }
            .note { color: #666; font-size: 0.9rem; }
            </style>

            """);
        h.Append("</head>\n<body>\n");
        h.Append(CultureInfo.InvariantCulture, $"<h1>Preference discerning benchmark: {E(report.Dataset)}</h1>\n");
        h.Append(CultureInfo.InvariantCulture,
            $"<p class=\"note\">Benchmark {E(report.Bench)} · seed {report.Manifest.Seed} · preferences by {E(report.Manifest.Extractor ?? "?")} · embedder {E(report.Manifest.Embedder)} · {E(report.CreatedAt)}</p>\n");

        h.Append("<h2>Summary</h2>\n<p class=\"note\">Recall@10; sentiment: combined@10.</p>\n<table id=\"summary\">\n<tr><th>method</th>");
        foreach (var axis in BenchmarkAxes.All) h.Append("<th>").Append(E(axis.Title())).Append("</th>");
        h.Append("</tr>\n");
        foreach (var r in report.Recommenders)
        {
            h.Append("<tr><td>").Append(E(r.Name)).Append("</td>");
            foreach (var a in r.Axes) h.Append("<td class=\"n\">").Append(F(a.Headline)).Append("</td>");
            h.Append("</tr>\n");
        }
        h.Append("</table>\n");

        foreach (var axis in BenchmarkAxes.All)
        {
            h.Append(CultureInfo.InvariantCulture, $"<h2>{E(axis.Title())}</h2>\n");
            var scores = Scores(report, axis).ToList();
            h.Append("<table>\n<tr><th>method</th><th>samples</th><th>R@5</th><th>R@10</th><th>N@5</th><th>N@10</th>");
            if (axis == BenchmarkAxis.Sentiment) h.Append("<th>neg R@10 ↓</th><th>combined@5</th><th>combined@10</th>");
            if (axis is BenchmarkAxis.FineSteering or BenchmarkAxis.CoarseSteering) h.Append("<th>paired R@10</th>");
            h.Append("</tr>\n");
            foreach (var (r, a) in scores)
            {
                h.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{E(r.Name)}</td><td class=\"n\">{a.Samples}</td><td class=\"n\">{F(a.RecallAt5)}</td><td class=\"n\">{F(a.RecallAt10)}</td><td class=\"n\">{F(a.NdcgAt5)}</td><td class=\"n\">{F(a.NdcgAt10)}</td>");
                if (a.Sentiment is { } s)
                    h.Append(CultureInfo.InvariantCulture, $"<td class=\"n\">{F(s.NegativeRecallAt10)}</td><td class=\"n\">{F(s.CombinedAt5)}</td><td class=\"n\">{F(s.CombinedAt10)}</td>");
                if (a.PairedRecallAt10 is { } paired) h.Append(CultureInfo.InvariantCulture, $"<td class=\"n\">{F(paired)}</td>");
                h.Append("</tr>\n");
            }
            h.Append("</table>\n");
            Chart(h, axis == BenchmarkAxis.Sentiment ? "combined@10" : "Recall@10", scores.Select(p => (p.Recommender.Name, p.Score.Headline)).ToList());
        }
        h.Append("<h2>Recommenders</h2>\n<ul>\n");
        foreach (var r in report.Recommenders)
            h.Append(CultureInfo.InvariantCulture, $"<li><b>{E(r.Name)}</b>: {E(r.Source)} ({r.Seconds:F1} s)</li>\n");
        h.Append("</ul>\n</body>\n</html>\n");
        return h.ToString();
    }

    /// <summary>Horizontal bars scaled to the largest value (or to 1 when all are zero).</summary>
    private static void Chart(StringBuilder h, string metric, List<(string Name, double Value)> bars)
    {
        var max = bars.Count == 0 ? 0 : bars.Max(b => b.Value);
        var scale = max > 0 ? max : 1;
        h.Append(CultureInfo.InvariantCulture, $"<div class=\"chart\" aria-label=\"{E(metric)}\">\n");
        foreach (var (name, value) in bars)
            h.Append(CultureInfo.InvariantCulture,
                $"<div class=\"row\"><span class=\"label\">{E(name)}</span><span class=\"track\"><span class=\"bar\" style=\"display:block;width:{100 * value / scale:F1}%\"></span></span><span class=\"value\">{F(value)}</span></div>\n");
        h.Append("</div>\n");
    }

    private static IEnumerable<(RecommenderScores Recommender, AxisScore Score)> Scores(BenchmarkReport report, BenchmarkAxis axis) =>
        report.Recommenders.SelectMany(r => r.Axes.Where(a => a.Axis == axis.Name()).Select(a => (r, a)));

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static void Save(string path, string text)
    {
        File.WriteAllText(path + ".tmp", text, new UTF8Encoding(false));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
