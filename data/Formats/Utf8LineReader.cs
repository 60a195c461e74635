namespace Mender.Data.Formats;

/// <summary>
/// Reads a stream line by line as UTF-8 bytes without decoding or allocating per line. A returned line stays valid until
/// the next call. Line endings (\n, \r\n) and a leading byte-order mark are removed.
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    private readonly Stream stream;
    private byte[] buffer = new byte[1 << 16];
    private int start;
    private int end;
    private bool endOfStream;

    public Utf8LineReader(Stream stream) => this.stream = stream;

    /// <summary>The 1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        var scanFrom = start;
        while (true)
        {
            var newline = buffer.AsSpan(scanFrom, end - scanFrom).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var stop = scanFrom + newline;
                line = Trim(buffer.AsSpan(start, stop - start));
                start = stop + 1;
                return true;
            }
            if (endOfStream)
            {
                if (start == end)
                {
                    line = default;
                    return false;
                }
                line = Trim(buffer.AsSpan(start, end - start));
                start = end;
                return true;
            }
            scanFrom = end - start;
            Fill();
        }
    }

    private ReadOnlySpan<byte> Trim(Span<byte> line)
    {
        LineNumber++;
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        if (LineNumber == 1 && line.StartsWith("\uFEFF"u8)) line = line[3..];
        return line;
    }

    /// <summary>Moves the unread tail to the front (growing the buffer for long lines) and reads more after it.</summary>
    private void Fill()
    {
        var pending = end - start;
        if (pending == buffer.Length)
            Array.Resize(ref buffer, buffer.Length * 2);
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, pending);
            start = 0;
            end = pending;
        }
        var read = stream.Read(buffer, end, buffer.Length - end);
        if (read == 0) endOfStream = true;
        end += read;
    }

    public void Dispose() => stream.Dispose();
}
