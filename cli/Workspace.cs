namespace Mender.Cli;

/// <summary>
/// Where commands keep their artefacts when no --out is given: one folder per kind and dataset under .mender/ in the
/// current directory, so a later command finds what an earlier one made.
/// </summary>
internal static class Workspace
{
    public const string Root = ".mender";

    public static string Folder(string kind, string dataset) => Path.Combine(Root, kind, dataset);
}
