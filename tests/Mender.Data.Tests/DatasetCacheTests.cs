using System.Text.Json;
using Mender.Data;
using Mender.Data.Formats;

namespace Mender.Data.Tests;

public class DatasetCacheTests
{
    private static Dataset Sample()
    {
        Item[] items =
        [
            new(0, "A", "Alpha", "Acme", ["Cat", "Sub"], 9.5, "First\nline") { Attributes = ["vegan", "glitter"] },
            new(1, "B", "Beta ü 日本", null, null, null, null),
            new(2, "C", "Gamma", "Acme", ["Cat"]),
        ];
        User[] users =
        [
            new(0, "u0", [new Interaction(0, 10, 4.5f, "Good", "Really good"), new Interaction(2, 10), new Interaction(1, 99, null, null, "")]),
            new(1, "u1", [new Interaction(1, -5, 1f)]),
        ];
        return new Dataset("sample", items, users) { Source = "built in a test" };
    }

    [Fact]
    public void RoundTripsEveryField()
    {
        using var folder = new TempFolder();
        var dataset = Sample();
        var manifest = DatasetCache.Write(dataset, folder.Path, new Provenance("mender data import x", new Dictionary<string, string> { ["k_core"] = "none" }));

        var loaded = DatasetLoader.Load(folder.Path);

        DatasetAssert.Equal(dataset, loaded);
        Assert.Equal("cache of built in a test", loaded.Source);
        Assert.Equal(new CacheCounts(2, 3, 4), manifest.Counts);
    }

    [Fact]
    public void ManifestRecordsSourcesCountsAndProvenance()
    {
        using var folder = new TempFolder();
        var source = folder.Write("src/sequences.txt", TempFolder.Lines("1 a b", "2 b"));
        var dataset = DatasetLoader.Load(source);
        var cache = Path.Combine(folder.Path, "cache");
        DatasetCache.Write(dataset, cache, new Provenance("mender data import src", new Dictionary<string, string> { ["skip_bad"] = "false" }));

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(cache, "manifest.json")));
        var root = json.RootElement;
        Assert.Equal("mender-dataset", root.GetProperty("format").GetString());
        var file = root.GetProperty("source_files")[0];
        Assert.Equal(Path.GetFullPath(source), file.GetProperty("path").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(source))), file.GetProperty("sha256").GetString());
        Assert.Equal(3, root.GetProperty("counts").GetProperty("interactions").GetInt64());
        Assert.Equal("mender data import src", root.GetProperty("produced_by").GetProperty("command").GetString());
        Assert.Equal("false", root.GetProperty("produced_by").GetProperty("parameters").GetProperty("skip_bad").GetString());
        Assert.False(string.IsNullOrEmpty(root.GetProperty("produced_by").GetProperty("version").GetString()));
        Assert.Equal("dataset.bin", root.GetProperty("data").GetProperty("path").GetString());
    }

    [Fact]
    public void SkippedLinesSurviveTheCache()
    {
        using var folder = new TempFolder();
        var source = folder.Write("src/sequences.txt", TempFolder.Lines("1 a b", "", "2", "3 c"));
        var dataset = DatasetLoader.Load(source, new DatasetLoadOptions { SkipBad = true });
        var cache = Path.Combine(folder.Path, "cache");
        DatasetCache.Write(dataset, cache, new Provenance("test", new Dictionary<string, string>()));

        var loaded = DatasetLoader.Load(cache);

        Assert.Equal(1, loaded.Report.SkippedLines);
        Assert.Contains("line 3", loaded.Report.SkippedExamples.Single());
    }

    [Fact]
    public void DamagedDataFileIsDetected()
    {
        using var folder = new TempFolder();
        DatasetCache.Write(Sample(), folder.Path, new Provenance("test", new Dictionary<string, string>()));
        var data = Path.Combine(folder.Path, "dataset.bin");
        var bytes = File.ReadAllBytes(data);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(data, bytes);

        var error = Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(folder.Path));
        Assert.Contains("SHA-256", error.Message);
    }

    [Fact]
    public void ForeignManifestIsRejected()
    {
        using var folder = new TempFolder();
        DatasetCache.Write(Sample(), folder.Path, new Provenance("test", new Dictionary<string, string>()));
        var manifest = Path.Combine(folder.Path, "manifest.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"version\": 1", "\"version\": 99"));

        Assert.Contains("version 99", Assert.Throws<InvalidDataException>(() => DatasetLoader.Load(folder.Path)).Message);
    }
}
