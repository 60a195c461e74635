using System.Reflection;
using System.Runtime.Intrinsics.X86;

namespace Mender.Benchmark.Results;

/// <summary>
/// Where a result came from: the command that produced it, the commit of the build that ran it, when it started, how
/// long it took, the training seed of each model it scored, and the machine: wall times and budgeted runs depend on the
/// processor as much as on its core count (a memory-bound training step ran 3.4 times faster on one 2-core kind than on
/// another), so <paramref name="Cpu"/> names it and the vector instructions used (null in files from before it was kept).
/// </summary>
public sealed record Provenance(string Command, string? Commit, DateTimeOffset StartedAt, double WallSeconds, IReadOnlyDictionary<string, ulong> Seeds,
    int Cores, string Os, string? Cpu = null)
{
    /// <summary>The provenance of a command run now, in this process.</summary>
    public static Provenance Of(string command, DateTimeOffset startedAt, TimeSpan wall, IReadOnlyDictionary<string, ulong> seeds) =>
        new(command, BuildCommit(), startedAt, Math.Round(wall.TotalSeconds, 1), seeds, Environment.ProcessorCount,
            System.Runtime.InteropServices.RuntimeInformation.OSDescription, ThisCpu());

    /// <summary>"AMD EPYC, AVX2": the processor's name where the OS tells it (Linux), and its widest vector instructions.</summary>
    private static string ThisCpu()
    {
        var vectors = Avx512F.IsSupported ? "AVX-512" : Avx2.IsSupported ? "AVX2" : "no AVX2";
        const string cpuInfo = "/proc/cpuinfo";
        var name = File.Exists(cpuInfo)
            ? File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return name is null ? vectors : $"{name}, {vectors}";
    }

    /// <summary>The commit the build was made from, as the SDK stamps it into the informational version ("1.0.0+sha").</summary>
    private static string? BuildCommit()
    {
        var version = typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var plus = version?.IndexOf('+', StringComparison.Ordinal) ?? -1;
        return plus < 0 ? null : version![(plus + 1)..];
    }
}
