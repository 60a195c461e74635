namespace Mender.Cli.Tests;

/// <summary>
/// A small demo world, its preferences from the built-in extractor and a mender-mode checkpoint trained for 30 steps,
/// all made with the CLI once for the test classes of <see cref="Collection"/>.
/// </summary>
public sealed class TrainedDemoRun : IDisposable
{
    public const string Collection = "trained demo run";

    public TrainedDemoRun()
    {
        Directory.CreateDirectory(Root);
        Check(CliRunner.RunIn(Root, "data", "generate-demo", "--items", "300", "--users", "200", "--out", Dataset, "--json"));
        Check(CliRunner.RunIn(Root, "preferences", "extract", Dataset, "--out", Preferences, "--json"));
        Check(CliRunner.RunIn(Root, "train", Dataset, "--mode", "mender", "--preset", "cpu", "--max-steps", "30",
            "--preferences", Preferences, "--out", Checkpoint, "--json"));
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mender-cli-run-" + Guid.NewGuid().ToString("N")[..12]);
    public string Dataset => Path.Combine(Root, "data");
    public string Preferences => Path.Combine(Root, "preferences");
    public string Checkpoint => Path.Combine(Root, "run");

    /// <summary>A copy of the checkpoint's files, for tests that add cold-start items beside it.</summary>
    public string CopyCheckpoint()
    {
        var copy = Path.Combine(Root, "copy-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(Checkpoint)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        return copy;
    }

    private static void Check(CliRunner.Result result)
    {
        if (result.ExitCode != 0) throw new InvalidOperationException($"setup command failed ({result.ExitCode}): {result.Stderr}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finished test is left for the OS to clean up.
        }
    }
}

[CollectionDefinition(TrainedDemoRun.Collection)]
public sealed class TrainedDemoRunCollection : ICollectionFixture<TrainedDemoRun>;
