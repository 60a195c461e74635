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

    /// <summary>Starts mender with environment variables set (a null value removes one).</summary>
    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        Start(workingDirectory, noColor: true, args, environment);

    private static Process Start(string workingDirectory, bool noColor, string[] args, IReadOnlyDictionary<string, string?>? environment = null)
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
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        return Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
    }

    public static Result Run(params string[] args) => RunIn(Path.GetTempPath(), args);

    public static Result RunIn(string workingDirectory, params string[] args) => RunIn(workingDirectory, noColor: true, args);

    /// <summary>The same without NO_COLOR set, as a user's shell usually runs it.</summary>
    public static Result RunInWithoutNoColor(string workingDirectory, params string[] args) => RunIn(workingDirectory, noColor: false, args);

    /// <summary>The same with environment variables set (a null value removes one).</summary>
    public static Result RunWith(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunIn(Path.GetTempPath(), noColor: true, args, environment);

    private static Result RunIn(string workingDirectory, bool noColor, string[] args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = Start(workingDirectory, noColor, args, environment);
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
