using System.Diagnostics;
using System.Text.Json;

namespace Mender.Cli.Tests;

/// <summary>Runs the built `mender` CLI as a separate process, the way users and scripts do.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public JsonElement Json()
        {
            using var doc = JsonDocument.Parse(Stdout);
            return doc.RootElement.Clone();
        }
    }

    public static string MenderDll { get; } = Path.Combine(AppContext.BaseDirectory, "mender.dll");

    public static Process Start(string workingDirectory, params string[] args) => Start(workingDirectory, noColor: true, args);

    private static Process Start(string workingDirectory, bool noColor, string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(MenderDll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        if (noColor) info.Environment["NO_COLOR"] = "1";
        else info.Environment.Remove("NO_COLOR");
        return Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
    }

    public static Result Run(params string[] args) => RunIn(Path.GetTempPath(), args);

    public static Result RunIn(string workingDirectory, params string[] args) => RunIn(workingDirectory, noColor: true, args);

    /// <summary>The same without NO_COLOR set, as a user's shell usually runs it.</summary>
    public static Result RunInWithoutNoColor(string workingDirectory, params string[] args) => RunIn(workingDirectory, noColor: false, args);

    private static Result RunIn(string workingDirectory, bool noColor, string[] args)
    {
        using var process = Start(workingDirectory, noColor, args);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("mender " + string.Join(' ', args) + " did not finish in 10 minutes");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
