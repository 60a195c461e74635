namespace Mender.Preference.Storage;

/// <summary>A folder was expected to hold a preference store and holds none; a caller can tell the user how to make one.</summary>
public sealed class PreferenceStoreMissingException : FileNotFoundException
{
    /// <summary>Reports that <paramref name="directory"/> has no store file at <paramref name="path"/>.</summary>
    public PreferenceStoreMissingException(string directory, string path)
        : base($"no preference store in '{System.IO.Path.GetFullPath(directory)}'", path)
    {
        Directory = System.IO.Path.GetFullPath(directory);
    }

    /// <summary>The folder that holds no store.</summary>
    public string Directory { get; }
}
