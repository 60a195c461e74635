using System.Text.RegularExpressions;
using Mender.Benchmark.Results;
using Mender.TestSupport;

namespace Mender.Benchmark.Tests;

/// <summary>The README's results tables are what `mender results table` renders from the result files it names, never figures typed by hand.</summary>
public sealed partial class ReadmeResultsTests
{
    [Fact]
    public void EveryTableTheReadmeSaysIsRenderedFromResultFilesIsWhatThoseFilesRender()
    {
        var readme = File.ReadAllText(Path.Combine(SharedData.RepoRoot, "README.md"));
        var renderings = RenderedBy().Matches(readme).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.NotEmpty(renderings);
        foreach (var arguments in renderings)
        {
            var paths = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => Path.Combine(SharedData.RepoRoot, p)).ToList();
            var (evaluations, benchmarks) = ResultsTable.Read(paths);
            Assert.True(evaluations.Count + benchmarks.Count > 0, $"`mender results table {arguments}` finds no result files");
            var rows = ResultsTable.Markdown(evaluations, benchmarks).Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal));
            foreach (var row in rows)
                Assert.True(readme.Contains(row, StringComparison.Ordinal), $"the README lacks this row of `mender results table {arguments}`:\n{row}");
        }
    }

    [GeneratedRegex(@"rendered by\s+`mender results table (results/[^`]+)`", RegexOptions.IgnoreCase)]
    private static partial Regex RenderedBy();
}
