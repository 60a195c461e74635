namespace Mender.Data.Formats;

/// <summary>Opens data files for reading, decompressing gzip transparently (recognised by its magic bytes, not the name).</summary>
internal static class DataFile
{
    private const int BufferSize = 1 << 16;

    public static Stream OpenRead(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"file not found: {path}", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            var read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GzipDataStream(path, file) : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The file <paramref name="name"/> in <paramref name="folder"/>, plain or gzipped (name.gz); null when neither exists.
    /// Both at once is an error, as either could be the one meant.
    /// </summary>
    public static string? Find(string folder, string name)
    {
        var plain = Path.Combine(folder, name);
        var gzipped = plain + ".gz";
        if (File.Exists(plain) && File.Exists(gzipped))
            throw new InvalidDataException($"'{folder}' holds both {name} and {name}.gz; keep one of them");
        return File.Exists(plain) ? plain : File.Exists(gzipped) ? gzipped : null;
    }

    /// <summary>The file name without a trailing ".gz".</summary>
    public static string PlainName(string path)
    {
        var name = Path.GetFileName(path);
        return name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name;
    }
}
