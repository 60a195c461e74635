namespace Mender.Recommender.SemanticIds;

/// <summary>
/// Writes a file under a temporary name and renames it into place, so a reader (or a resumed run) sees either the old
/// complete file or the new complete file, never half of one.
/// </summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string text) => Write(path, temp => File.WriteAllText(temp, text));

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, temp => File.WriteAllBytes(temp, bytes));

    public static void Write(string path, Action<string> writeTemp)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Environment.ProcessId + ".tmp");
        try
        {
            writeTemp(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
