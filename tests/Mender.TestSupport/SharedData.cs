namespace Mender.TestSupport;

/// <summary>
/// Locates the reference data folder <c>../shared</c> that sits beside the checkout.
/// Under <c>CI=true</c> a missing folder is a failure, elsewhere the tests that need it are skipped.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool Available => Root.Value is not null;

    /// <summary>Why a test that needs the folder cannot run here, or null when it can.</summary>
    public static string? SkipReason =>
        Available || IsCi ? null : "../shared reference data not found beside the checkout; set CI=true to make this a failure";

    /// <summary>Absolute path of a file or folder inside ../shared; throws when the folder is missing.</summary>
    public static string PathOf(string relative)
    {
        var root = Root.Value ?? throw new InvalidOperationException(
            "../shared reference data is missing beside the checkout (looked upward from " + AppContext.BaseDirectory + ")");
        var path = Path.Combine(root, relative);
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"reference file '{relative}' is missing from {root}", path);
        return path;
    }

    private static readonly Lazy<string?> Repo = new(FindRepoRoot);

    /// <summary>The repository root (the folder holding Mender.sln).</summary>
    public static string RepoRoot => Repo.Value
        ?? throw new InvalidOperationException("Mender.sln not found above " + AppContext.BaseDirectory);

    private static string? FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Mender.sln")))
                return dir.FullName;
        return null;
    }

    // MENDER_SHARED wins, so builds placed outside the checkout (--artifacts-path) still find the data.
    private static string? FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("MENDER_SHARED");
        if (!string.IsNullOrEmpty(env))
            return Directory.Exists(env) ? Path.GetFullPath(env) : null;
        if (Repo.Value is not { } repo) return null;
        var candidate = Path.GetFullPath(Path.Combine(repo, "..", "shared"));
        return Directory.Exists(candidate) ? candidate : null;
    }
}

/// <summary>A fact that needs ../shared: skipped with a clear message when it is absent, unless CI=true.</summary>
public sealed class SharedFactAttribute : Xunit.FactAttribute
{
    public SharedFactAttribute() => Skip = SharedData.SkipReason;
}

/// <summary>A theory that needs ../shared: skipped with a clear message when it is absent, unless CI=true.</summary>
public sealed class SharedTheoryAttribute : Xunit.TheoryAttribute
{
    public SharedTheoryAttribute() => Skip = SharedData.SkipReason;
}
