using System.Reflection;

namespace Mender.Benchmark.Results;

/// <summary>
/// Where a result came from: the command that produced it, the commit of the build that ran it, when it started, how
/// long it took, the training seed of each model it scored, and the machine.
/// </summary>
public sealed record Provenance(string Command, string? Commit, DateTimeOffset StartedAt, double WallSeconds, IReadOnlyDictionary<string, ulong> Seeds,
    int Cores, string Os)
{
    /// <summary>The provenance of a command run now, in this process.</summary>
    public static Provenance Of(string command, DateTimeOffset startedAt, TimeSpan wall, IReadOnlyDictionary<string, ulong> seeds) =>
        new(command, BuildCommit(), startedAt, Math.Round(wall.TotalSeconds, 1), seeds, Environment.ProcessorCount,
            System.Runtime.InteropServices.RuntimeInformation.OSDescription);

    /// <summary>The commit the build was made from, as the SDK stamps it into the informational version ("1.0.0+sha").</summary>
    private static string? BuildCommit()
    {
        var version = typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var plus = version?.IndexOf('+', StringComparison.Ordinal) ?? -1;
        return plus < 0 ? null : version![(plus + 1)..];
    }
}
