using System.CommandLine;

namespace Mender.Cli;

/// <summary>The command line a result came from, as a user would type it again.</summary>
internal static class CommandLineText
{
    public static string Of(ParseResult parse) =>
        "mender " + string.Join(' ', parse.Tokens.Select(t => t.Value.Length == 0 || t.Value.Any(char.IsWhiteSpace) || t.Value.Contains('"', StringComparison.Ordinal)
            ? "\"" + t.Value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : t.Value));
}
