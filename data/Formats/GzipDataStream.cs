using System.Buffers.Binary;
using System.IO.Compression;

namespace Mender.Data.Formats;

/// <summary>
/// Decompresses a gzip data file and fails loudly when it is damaged. GZipStream reports corrupt data in words about
/// "archive entries", and a truncated file simply ends early, which would load part of a dataset as if it were all of
/// it. So errors name the file, and at the end the byte count is checked against the size the gzip trailer records.
/// </summary>
internal sealed class GzipDataStream : Stream
{
    private readonly string path;
    private readonly GZipStream inner;
    private readonly uint recordedSize;
    private uint size;

    public GzipDataStream(string path, FileStream file)
    {
        this.path = path;
        if (file.Length < 18) throw Damaged("it is too short to hold gzip data");
        Span<byte> trailer = stackalloc byte[4];
        file.Position = file.Length - 4;
        file.ReadExactly(trailer);
        file.Position = 0;
        // ISIZE: the uncompressed length modulo 2^32 (RFC 1952), the last four bytes of the file.
        recordedSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        inner = new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch (InvalidDataException)
        {
            throw Damaged("its gzip data is corrupt");
        }
        size = unchecked(size + (uint)read);
        if (read == 0 && buffer.Length > 0 && size != recordedSize) throw Damaged("its gzip data ends early (truncated file?)");
        return read;
    }

    private InvalidDataException Damaged(string reason) => new($"{path} cannot be read: {reason}");

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
