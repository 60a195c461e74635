using System.Text.Json;

namespace Mender.Cli.Tests;

public sealed class DataCommandTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "mender-cli-data-" + Guid.NewGuid().ToString("N"));

    public DataCommandTests() => Directory.CreateDirectory(folder);

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(folder, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private string SequenceFixture(string name = "beauty")
    {
        Write($"{name}/items.jsonl",
            """{"item_id": 1, "asin": "A1", "title": "nail lacquer", "attributes": ["OPI", "Makeup"]}""",
            """{"item_id": 2, "asin": "A2", "title": "eye shadow", "attributes": ["Makeup"]}""",
            """{"item_id": 3, "asin": "A3", "title": "cream", "attributes": []}""");
        Write($"{name}/sequences.txt", "1 1 2 3", "2 2 1", "3 3 1 2 1");
        return Path.Combine(folder, name);
    }

    [Fact]
    public void StatsPrintsOneJsonDocument()
    {
        var result = CliRunner.Run("data", "stats", SequenceFixture(), "--json");

        Assert.Equal(0, result.ExitCode);
        var json = result.Json();
        Assert.Equal(3, json.GetProperty("users").GetInt32());
        Assert.Equal(3, json.GetProperty("items").GetInt32());
        Assert.Equal(9, json.GetProperty("interactions").GetInt64());
        Assert.Equal(1.0, json.GetProperty("density").GetDouble(), 12);
        Assert.Equal(3.0, json.GetProperty("mean_history").GetDouble(), 12);
        Assert.Equal(3.0, json.GetProperty("median_history").GetDouble(), 12);
        Assert.False(json.TryGetProperty("skipped_lines", out _));
    }

    [Fact]
    public void StatsWithoutJsonPrintsATable()
    {
        var result = CliRunner.Run("data", "stats", SequenceFixture());
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("interactions", result.Stdout);
        Assert.Contains("9", result.Stdout);
    }

    [Fact]
    public void MissingPathIsAUserErrorWithOneLine()
    {
        var missing = Path.Combine(folder, "nothing-here");
        var result = CliRunner.Run("data", "stats", missing, "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("mender:"));
        Assert.Contains(missing, line);
    }

    [Fact]
    public void MalformedLineFailsNamingFileAndLineAndSkipBadCountsIt()
    {
        var path = SequenceFixture();
        File.AppendAllText(Path.Combine(path, "sequences.txt"), "4 1 77\n5 2 3\n");

        var failed = CliRunner.Run("data", "stats", path, "--json");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("sequences.txt line 4", failed.Stderr);
        Assert.Contains("item id 77", failed.Stderr);

        var skipped = CliRunner.Run("data", "stats", path, "--skip-bad", "--json");
        Assert.Equal(0, skipped.ExitCode);
        var json = skipped.Json();
        Assert.Equal(1, json.GetProperty("skipped_lines").GetInt32());
        Assert.Equal(4, json.GetProperty("users").GetInt32());
        Assert.Contains("line 4", json.GetProperty("skipped_examples")[0].GetString());
        Assert.Contains("skipped 1", skipped.Stderr);
        Assert.Contains(json.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("skipped 1 malformed line"));

        var imported = CliRunner.Run("data", "import", path, "--skip-bad", "--out", Path.Combine(folder, "cache"), "--json");
        Assert.Equal(0, imported.ExitCode);
        Assert.Contains(imported.Json().GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("skipped 1 malformed line"));
    }

    [Fact]
    public void KCoreOptionFilters()
    {
        var path = SequenceFixture();
        File.AppendAllText(Path.Combine(path, "sequences.txt"), "4 3\n");
        Assert.Equal(4, CliRunner.Run("data", "stats", path, "--json").Json().GetProperty("users").GetInt32());

        var result = CliRunner.Run("data", "stats", path, "--k-core", "2", "--json");
        Assert.Equal(0, result.ExitCode);
        var json = result.Json();
        Assert.Equal(3, json.GetProperty("users").GetInt32());
        Assert.Equal(9, json.GetProperty("interactions").GetInt64());
        Assert.Contains("2-core filter", json.GetProperty("notes")[0].GetString());

        Assert.Equal(1, CliRunner.Run("data", "stats", SequenceFixture("other"), "--k-core", "0").ExitCode);
    }

    [Fact]
    public void ImportWritesACacheThatStatsReads()
    {
        var cache = Path.Combine(folder, "cache");
        var import = CliRunner.Run("data", "import", SequenceFixture(), "--out", cache, "--json");

        Assert.Equal(0, import.ExitCode);
        Assert.Equal(9, import.Json().GetProperty("interactions").GetInt64());
        Assert.True(File.Exists(Path.Combine(cache, "manifest.json")));
        using (var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(cache, "manifest.json"))))
            Assert.StartsWith("mender data import", manifest.RootElement.GetProperty("produced_by").GetProperty("command").GetString());

        var stats = CliRunner.Run("data", "stats", cache, "--json");
        Assert.Equal(0, stats.ExitCode);
        Assert.Equal((3, 3, 9L), (stats.Json().GetProperty("users").GetInt32(), stats.Json().GetProperty("items").GetInt32(),
            stats.Json().GetProperty("interactions").GetInt64()));
    }

    [Fact]
    public void GenerateDemoWritesALoadableDataset()
    {
        var output = Path.Combine(folder, "demo");
        var generate = CliRunner.Run("data", "generate-demo", "--out", output, "--seed", "3", "--items", "300", "--users", "80", "--json");

        Assert.Equal(0, generate.ExitCode);
        Assert.Equal(80, generate.Json().GetProperty("stats").GetProperty("users").GetInt32());
        Assert.True(File.Exists(Path.Combine(output, "tastes.json")));

        var stats = CliRunner.Run("data", "stats", output, "--json");
        Assert.Equal(0, stats.ExitCode);
        Assert.Equal(300, stats.Json().GetProperty("items").GetInt32());
        Assert.Equal(80, stats.Json().GetProperty("users").GetInt32());
    }

    [Fact]
    public void DemoRunsThePipelineAndReusesItOnARerun()
    {
        string[] args = ["demo", "--items", "300", "--users", "200", "--train-steps", "30", "--bench-samples", "0"];
        var result = CliRunner.RunIn(folder, [.. args, "--json"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var json = result.Json();
        var root = Path.Combine(folder, ".mender", "demo");
        Assert.Equal(root, json.GetProperty("root").GetString());
        var stages = json.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("status").GetString());
        Assert.Equal(["generate", "preferences", "semantic_ids", "train_tiger", "train_mender", "bench_build", "bench_run", "steering_example"], stages.Keys);
        Assert.All(stages.Values, status => Assert.Equal("done", status));
        var rows = json.GetProperty("table").GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["most-popular", "tiger", "mender"], rows.Select(r => r.GetProperty("method").GetString()));
        Assert.All(rows, r => Assert.Equal(5, r.GetProperty("values").EnumerateObject().Count()));
        var example = json.GetProperty("steering_example");
        Assert.Equal(5, example.GetProperty("positive").GetProperty("items").GetArrayLength());
        foreach (var file in new[] { "dataset/dataset.bin", "preferences/preferences.db", "sids/sids.tsv", "runs/tiger/model.safetensors",
            "runs/mender/model.safetensors", "bench/manifest.json", "report/report.html", "demo.json" })
            Assert.True(File.Exists(Path.Combine(root, file)), $"{file} is missing");

        var human = CliRunner.RunIn(folder, args);
        Assert.Equal(0, human.ExitCode);
        Assert.Contains("reused", human.Stdout);
        Assert.Contains("Steering example", human.Stdout);
        Assert.Contains("coarse_st", human.Stdout);
    }

    [SharedFact]
    public void BeautyStatsMatchThePublishedCounts()
    {
        var result = CliRunner.Run("data", "stats", SharedData.PathOf("data/amazon2014-beauty"), "--json");
        Assert.Equal(0, result.ExitCode);
        var json = result.Json();
        Assert.Equal((22_363, 12_101, 198_502L), (json.GetProperty("users").GetInt32(), json.GetProperty("items").GetInt32(),
            json.GetProperty("interactions").GetInt64()));
    }
}
