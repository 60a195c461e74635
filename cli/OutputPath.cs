namespace Mender.Cli;

/// <summary>
/// Checks a path the user named for output before any work starts, so that a file where a folder belongs (or a folder
/// where a file belongs) is a one-line error naming the option, not an IOException after minutes of work.
/// </summary>
internal static class OutputPath
{
    /// <summary>The full path of a folder to write into: it may exist as a folder or not at all, never as a file.</summary>
    public static string Folder(string path, string option)
    {
        var full = Path.GetFullPath(path);
        if (System.IO.File.Exists(full)) throw new CliUserException($"{option} {full} is a file; give a folder (existing or new)");
        CheckAncestors(full, option);
        return full;
    }

    /// <summary><see cref="Folder"/> for an optional option: null when it was not given.</summary>
    public static string? FolderIfGiven(string? path, string option) => path is null ? null : Folder(path, option);

    /// <summary>The full path of a file to write: it may exist as a file or not at all, never as a folder.</summary>
    public static string File(string path, string option)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new CliUserException($"{option} {full} is a folder; give a file name");
        CheckAncestors(full, option);
        return full;
    }

    // The nearest existing ancestor must be a folder, or creating the path fails later with "Could not find a part of the path".
    private static void CheckAncestors(string full, string option)
    {
        for (var at = Path.GetDirectoryName(full); at is not null; at = Path.GetDirectoryName(at))
        {
            if (Directory.Exists(at)) return;
            if (System.IO.File.Exists(at)) throw new CliUserException($"{option} {full} lies under {at}, which is a file, not a folder");
        }
    }
}
