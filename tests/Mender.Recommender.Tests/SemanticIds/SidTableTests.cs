using Mender.Recommender.SemanticIds;
using Xunit;

namespace Mender.Recommender.Tests.SemanticIds;

public sealed class SidTableTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "mender-sids-" + Guid.NewGuid().ToString("N"));

    public SidTableTests() => Directory.CreateDirectory(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void CollisionCodeNumbersItemsSharingAPrefix()
    {
        int[] learned = [1, 2, 3, 0, 0, 0, 1, 2, 3, 1, 2, 4, 1, 2, 3, 0, 0, 0];
        Assert.Equal([0, 0, 1, 0, 2, 1], CollisionCodes.Assign(learned, 6, 3));
    }

    [Fact]
    public void EverySidIsUniqueEvenWhenAllPrefixesCollide()
    {
        var random = new Random(1);
        var learned = Enumerable.Range(0, 500 * 3).Select(_ => random.Next(3)).ToArray();
        var table = SidTable.FromLearnedCodes(Ids(500), learned, [3, 3, 3]);
        var distinct = Enumerable.Range(0, 500).Select(i => SidTable.Format(table[i])).Distinct().Count();
        Assert.Equal(500, distinct);
        Assert.Equal(4, table.Length);
        Assert.Equal(table.CodebookSizes[3] - 1, Enumerable.Range(0, 500).Max(i => table[i][3]));
        for (var i = 0; i < 500; i++) Assert.Equal(learned.AsSpan(i * 3, 3).ToArray(), table[i][..3].ToArray());
    }

    [Fact]
    public void SaveLoadRoundTrip()
    {
        int[] learned = [5, 1, 9, 5, 1, 9, 0, 2, 2];
        var table = SidTable.FromLearnedCodes(["B00A", "B00B", "B00C"], learned, [10, 10, 10]);
        var path = Path.Combine(dir, "sids.tsv");
        table.Save(path);
        var loaded = SidTable.Load(path);
        Assert.Equal(table.Count, loaded.Count);
        Assert.Equal(table.CodebookSizes, loaded.CodebookSizes);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(table.ExternalId(i), loaded.ExternalId(i));
            Assert.Equal(table[i].ToArray(), loaded[i].ToArray());
        }
        Assert.Equal(1, loaded.IndexOf("B00B"));
        Assert.Equal(-1, loaded.IndexOf("nope"));
        Assert.Equal([5, 1, 9, 1], loaded[1].ToArray());
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Theory]
    [InlineData("x\t0\t1\tz\t1\t0\n", "line 3")]
    [InlineData("x\t0\t1\t1\t1\n", "line 3")]
    [InlineData("x\t0\t1\t1\t1\t0\ny\t0\t1\t1\t2\t0\n", "item 0")]
    [InlineData("x\t0\t1\t1\t1\t0\ny\t1\t1\t1\t1\t0\n", "same semantic ID")]
    [InlineData("x\t0\t1\t1\t7\t0\n", "outside")]
    public void MalformedFilesAreReportedClearly(string rows, string expected)
    {
        var path = Path.Combine(dir, "bad.tsv");
        var text = "# mender sids v1\tcodebook_sizes=4,4,4,1\nexternal_id\titem\tc1\tc2\tc3\tc4\n" + rows;
        File.WriteAllText(path, text);
        var error = Assert.Throws<InvalidDataException>(() => SidTable.Load(path));
        Assert.Contains(expected, error.Message);
    }

    private static string[] Ids(int n) => Enumerable.Range(0, n).Select(i => $"item{i}").ToArray();
}
