using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Mender.Cli.Tests;

/// <summary>A `mender cluster silo` process of a test, with its stderr collected; killed (kill -9) when disposed if still running.</summary>
internal sealed partial class SiloProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder stderr = new();

    private SiloProcess(Process process)
    {
        this.process = process;
        process.StandardInput.Close();
        _ = process.StandardOutput.ReadToEndAsync();
        _ = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
                lock (stderr) stderr.AppendLine(line);
        });
    }

    public static SiloProcess Start(string folder, string cluster, params string[] args) =>
        new(CliRunner.Start(folder, ["cluster", "silo", "--cluster", cluster, .. args]));

    public static SiloProcess Start(string folder, IReadOnlyDictionary<string, string?> environment, string cluster, params string[] args) =>
        new(CliRunner.Start(folder, environment, ["cluster", "silo", "--cluster", cluster, .. args]));

    public string Stderr
    {
        get { lock (stderr) return stderr.ToString(); }
    }

    /// <summary>The silo's name in the job tables, once it has announced that it joined.</summary>
    public string WaitJoined()
    {
        var clock = Stopwatch.StartNew();
        while (Joined().Match(Stderr) is not { Success: true } match)
        {
            Assert.False(process.HasExited, "the silo exited before joining: " + Stderr);
            Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2), "the silo did not join within 2 minutes: " + Stderr);
            Thread.Sleep(50);
        }
        return Joined().Match(Stderr).Groups[1].Value;
    }

    /// <summary>Waits for the silo to exit by itself and returns its exit code.</summary>
    public int WaitExit()
    {
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the silo did not exit within 2 minutes: " + Stderr);
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>kill -9: no shutdown, no lease released, no row finished.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited) Kill();
        process.Dispose();
    }

    [GeneratedRegex(@"silo (\S+) joined cluster")]
    private static partial Regex Joined();
}
