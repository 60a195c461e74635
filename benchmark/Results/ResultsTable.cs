using System.Globalization;
using System.Text;
using Mender.Benchmark.Axes;
using Mender.Benchmark.Runs;

namespace Mender.Benchmark.Results;

/// <summary>
/// The results tables of the README, rendered from the result files commands write (`mender eval --save`, the
/// report.json of `mender bench run`) so that no figure is typed by hand. Runs of one method on one dataset are one row:
/// with several seeds, each figure is the mean ± the sample standard deviation.
/// </summary>
public static class ResultsTable
{
    /// <summary>The result files in <paramref name="paths"/> (files, or folders searched recursively).</summary>
    public static (IReadOnlyList<EvalRecord> Evaluations, IReadOnlyList<BenchmarkReport> Benchmarks) Read(IEnumerable<string> paths)
    {
        var evaluations = new List<EvalRecord>();
        var benchmarks = new List<BenchmarkReport>();
        foreach (var path in paths)
        {
            IEnumerable<string> files = Directory.Exists(path) ? Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                : File.Exists(path) ? [path]
                : throw new FileNotFoundException($"{path} is neither a result file nor a folder", path);
            foreach (var file in files)
            {
                if (Path.GetFileName(file) == ReportFiles.JsonFile) benchmarks.Add(ReportFiles.Read(file));
                else if (EvalRecord.Read(file) is { } record) evaluations.Add(record);
            }
        }
        return (evaluations, benchmarks);
    }

    /// <summary>
    /// Markdown: one next-item table over all evaluations, then one five-axis table per benchmarked dataset. A row's wall
    /// time is its training commands' and its evaluation's (in a benchmark, its own share of the run) together, the mean
    /// over seeds, and its commands are the first run's.
    /// </summary>
    public static string Markdown(IReadOnlyList<EvalRecord> evaluations, IReadOnlyList<BenchmarkReport> benchmarks)
    {
        var md = new StringBuilder();
        if (evaluations.Count > 0)
        {
            md.Append("| dataset | method | split | runs | R@5 | R@10 | N@5 | N@10 | wall | commands |\n|---|---|---|---|---:|---:|---:|---:|---:|---|\n");
            foreach (var runs in evaluations.GroupBy(e => (e.Dataset, e.Method, e.Split)).OrderBy(g => g.Key.Dataset, StringComparer.Ordinal).ThenBy(g => g.Key.Method, StringComparer.Ordinal))
            {
                var list = runs.ToList();
                md.Append(CultureInfo.InvariantCulture, $"| {runs.Key.Dataset} | {runs.Key.Method} | {runs.Key.Split} | {Runs(list.Select(r => r.Provenance.Seeds.Values))} | ")
                    .Append(Stat(list.Select(r => r.RecallAt5))).Append(" | ").Append(Stat(list.Select(r => r.RecallAt10))).Append(" | ")
                    .Append(Stat(list.Select(r => r.NdcgAt5))).Append(" | ").Append(Stat(list.Select(r => r.NdcgAt10))).Append(" | ")
                    .Append(Wall(list.Average(r => r.Provenance.WallSeconds + (r.Training?.Sum(t => t.Provenance.WallSeconds) ?? 0)))).Append(" | ")
                    .Append(string.Join("; ", Commands(list[0].Training, list[0].Provenance.Command).Select(c => $"`{c}`"))).Append(" |\n");
            }
        }
        foreach (var dataset in benchmarks.GroupBy(b => b.Dataset).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (md.Length > 0) md.Append('\n');
            md.Append(CultureInfo.InvariantCulture, $"Five axes on {dataset.Key} (Recall@10; sentiment: combined@10)\n\n");
            md.Append("| method | runs | ").Append(string.Join(" | ", BenchmarkAxes.All.Select(a => a.Title()))).Append(" | wall | commands |\n");
            md.Append("|---|---|").Append(string.Concat(BenchmarkAxes.All.Select(_ => "---:|"))).Append("---:|---|\n");
            var rows = dataset.SelectMany(report => report.Recommenders.Select(r => (Report: report, Scores: r)));
            foreach (var method in rows.GroupBy(r => r.Scores.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var list = method.ToList();
                var seeds = list.Select(r => r.Report.Provenance?.Seeds.TryGetValue(r.Scores.Source, out var seed) == true ? seed : (ulong?)null).OfType<ulong>();
                md.Append(CultureInfo.InvariantCulture, $"| {method.Key} | {Runs(list.Count, seeds)} | ")
                    .Append(string.Join(" | ", BenchmarkAxes.All.Select((_, i) => Stat(list.Select(r => r.Scores.Axes[i].Headline))))).Append(" | ")
                    .Append(Wall(list.Average(r => r.Scores.Seconds + TrainingOf(r.Report, r.Scores).Sum(t => t.Provenance.WallSeconds)))).Append(" | ")
                    .Append(string.Join("; ", Commands(TrainingOf(list[0].Report, list[0].Scores), list[0].Report.Provenance?.Command).Select(c => $"`{c}`"))).Append(" |\n");
            }
        }
        return md.ToString();
    }

    /// <summary>The commands that made a result: its training commands (each once, in order), then the evaluation.</summary>
    private static IEnumerable<string> Commands(IEnumerable<TrainingRecord>? training, string? evaluation) =>
        (training ?? []).Select(t => t.Provenance.Command).Distinct(StringComparer.Ordinal).Concat(evaluation is null ? [] : [evaluation]);

    private static IReadOnlyList<TrainingRecord> TrainingOf(BenchmarkReport report, RecommenderScores scores) =>
        report.Training?.GetValueOrDefault(scores.Source) ?? [];

    private static string Runs(IEnumerable<IEnumerable<ulong>> seedsPerRun)
    {
        var runs = seedsPerRun.ToList();
        return Runs(runs.Count, runs.SelectMany(s => s));
    }

    private static string Runs(int count, IEnumerable<ulong> seeds)
    {
        var distinct = seeds.Distinct().Order().ToList();
        return distinct.Count == 0 ? count.ToString(CultureInfo.InvariantCulture)
            : $"{count} (seed{(distinct.Count > 1 ? "s" : "")} {string.Join(", ", distinct)})";
    }

    /// <summary>The value, or the mean ± the sample standard deviation of several.</summary>
    internal static string Stat(IEnumerable<double> values)
    {
        var list = values.ToList();
        var mean = list.Average();
        if (list.Count == 1) return F(mean);
        var sd = Math.Sqrt(list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1));
        return $"{F(mean)} ± {F(sd)}";
    }

    private static string F(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Wall(double seconds) => seconds >= 120
        ? $"{(seconds / 60).ToString("0", CultureInfo.InvariantCulture)} min"
        : $"{seconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
}
