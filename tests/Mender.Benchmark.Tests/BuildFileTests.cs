using Mender.Benchmark.Axes;

namespace Mender.Benchmark.Tests;

/// <summary>The benchmark folder: deterministic for a seed, and read back exactly as written.</summary>
public class BuildFileTests(DemoBench bench) : IClassFixture<DemoBench>
{
    [Fact]
    public void FilesReadBackToTheSameSamples()
    {
        using var folder = new TempFolder();
        BenchmarkFiles.Write(bench.Set, bench.World.Dataset, folder.Path);
        Assert.True(BenchmarkFiles.Exists(folder.Path));
        var read = BenchmarkFiles.Read(folder.Path, bench.World.Dataset);
        Assert.Equal(bench.Set.Manifest.Axes, read.Manifest.Axes);
        foreach (var axis in BenchmarkAxes.All)
        {
            var written = bench.Set[axis];
            Assert.Equal(written.Count, read[axis].Count);
            for (var i = 0; i < written.Count; i++)
            {
                var (a, b) = (written[i], read[axis][i]);
                Assert.Equal((a.Axis, a.UserId, a.Position, a.HistoryUserId, a.Target, a.PairedItem, a.Similarity, a.Negative, a.Positive),
                    (b.Axis, b.UserId, b.Position, b.HistoryUserId, b.Target, b.PairedItem, b.Similarity, b.Negative, b.Positive));
                Assert.Equal(a.History, b.History);
                Assert.Equal(a.Preferences, b.Preferences);
            }
        }
    }

    [Fact]
    public async Task SameSeedSameFilesOtherSeedOtherUsers()
    {
        using var folder = new TempFolder();
        var options = new BenchmarkBuildOptions { Seed = 7, MaxSamples = 40 };
        var dataset = bench.World.Dataset;
        BenchmarkFiles.Write(await BenchmarkBuilder.BuildAsync(dataset, bench.Table, bench.Embedder, options), dataset, folder.Sub("a"));
        BenchmarkFiles.Write(await BenchmarkBuilder.BuildAsync(dataset, bench.Table, bench.Embedder, options), dataset, folder.Sub("b"));
        var other = await BenchmarkBuilder.BuildAsync(dataset, bench.Table, bench.Embedder, options with { Seed = 8 });
        foreach (var axis in BenchmarkAxes.All)
        {
            var file = Path.Combine(BenchmarkFiles.AxesFolder, axis.FileName());
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder.Sub("a"), file)), File.ReadAllBytes(Path.Combine(folder.Sub("b"), file)));
        }
        var users = BenchmarkFiles.Read(folder.Sub("a"), dataset)[BenchmarkAxis.Preference].Select(s => s.UserId).ToArray();
        Assert.Equal(40, users.Length);
        Assert.NotEqual(users, other[BenchmarkAxis.Preference].Select(s => s.UserId).ToArray());
        Assert.Equal(7, BenchmarkFiles.Read(folder.Sub("a"), dataset).Manifest.Seed);
    }

    [Fact]
    public void AMalformedLineIsReportedWithItsFileAndLine()
    {
        using var folder = new TempFolder();
        BenchmarkFiles.Write(bench.Set, bench.World.Dataset, folder.Path);
        var path = Path.Combine(folder.Path, BenchmarkFiles.AxesFolder, BenchmarkAxis.Consolidation.FileName());
        File.AppendAllText(path, "{\"axis\": \"consolidation\", \"user\": \"nobody\"\n");
        var error = Assert.Throws<InvalidDataException>(() => BenchmarkFiles.Read(folder.Path, bench.World.Dataset));
        Assert.Contains(BenchmarkAxis.Consolidation.FileName(), error.Message);
    }
}
