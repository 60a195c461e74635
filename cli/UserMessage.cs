using System.Text.RegularExpressions;
using Mender.Benchmark.Axes;
using Mender.Data.Text;
using Mender.Preference.Storage;

namespace Mender.Cli;

/// <summary>
/// The one line an error is reported in. .NET's own wording ("Could not find file '…'.", "Access to the path '…' is
/// denied.", "(Parameter 'k') Actual value was 5.") is rewritten in the user's terms, and the line is kept short.
/// </summary>
internal static partial class UserMessage
{
    public static string Of(Exception ex) => Excerpt.Line(Text(ex), Excerpt.MaxMessageLength);

    private static string Text(Exception ex)
    {
        var quoted = QuotedPath().Match(ex.Message) is { Success: true } match ? match.Groups[1].Value : null;
        return ex switch
        {
            FileNotFoundException when ex.Message.StartsWith("Could not find file", StringComparison.Ordinal) && quoted is not null =>
                $"{quoted}: no such file or folder",
            DirectoryNotFoundException when ex.Message.StartsWith("Could not find a part of the path", StringComparison.Ordinal) && quoted is not null =>
                $"{quoted}: no such folder (or a part of the path is missing)",
            UnauthorizedAccessException when quoted is not null =>
                Directory.Exists(quoted) ? $"{quoted} is a folder where a file is expected" : $"{quoted}: permission denied",
            ArgumentException argument => WithoutParameter(argument.Message),
            PreferenceStoreMissingException => $"{ex.Message} (run `mender preferences extract` first)",
            PreferenceStoreMismatchException => $"{ex.Message}; use another --out folder",
            BenchmarkMissingException => $"{ex.Message} (run `mender bench build` first)",
            Mender.Cluster.NoSiloException => $"{ex.Message}; start one with `mender cluster silo --cluster …`",
            _ => ex.Message,
        };
    }

    // ArgumentException appends " (Parameter 'x')" and, for ranges, a line "Actual value was N."; the rest already says it.
    private static string WithoutParameter(string message)
    {
        var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message.Split('\n')[0];
    }

    [GeneratedRegex("'(/[^']*|[A-Za-z]:\\\\[^']*)'")]
    private static partial Regex QuotedPath();
}
