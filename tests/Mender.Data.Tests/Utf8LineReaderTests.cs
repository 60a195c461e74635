using System.Text;
using Mender.Data.Formats;

namespace Mender.Data.Tests;

public class Utf8LineReaderTests
{
    private static List<(long Number, string Text)> ReadAll(byte[] bytes)
    {
        var lines = new List<(long, string)>();
        using var reader = new Utf8LineReader(new MemoryStream(bytes));
        while (reader.TryReadLine(out var line)) lines.Add((reader.LineNumber, Encoding.UTF8.GetString(line)));
        return lines;
    }

    [Fact]
    public void SplitsOnNewlinesAndStripsCarriageReturnsAndTheByteOrderMark()
    {
        var lines = ReadAll([.. Encoding.UTF8.GetPreamble(), .. "first\r\n\nthird ü\nlast"u8]);
        Assert.Equal([(1L, "first"), (2L, ""), (3L, "third ü"), (4L, "last")], lines);
    }

    [Fact]
    public void ReadsLinesLongerThanItsBuffer()
    {
        var longLine = new string('x', 200_000);
        var lines = ReadAll(Encoding.UTF8.GetBytes($"a\n{longLine}\nb\n"));
        Assert.Equal(["a", longLine, "b"], lines.Select(l => l.Text));
    }

    [Fact]
    public void EmptyStreamHasNoLines() => Assert.Empty(ReadAll([]));
}
