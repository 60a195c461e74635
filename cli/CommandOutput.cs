using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Mender.Cli;

/// <summary>
/// Where a command writes: results to stdout (one JSON document with --json, readable text otherwise),
/// progress and logs to stderr so that scripts can read stdout untouched.
/// </summary>
internal sealed class CommandOutput
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        // Every command's keys read the same, whether written by hand or taken from a record's property names.
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Results carry user text (titles, reviews, token pieces): keep it readable instead of \uXXXX escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public CommandOutput(bool json, bool verbose)
    {
        Json = json;
        Verbose = verbose;
        Out = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        Err = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
    }

    /// <summary>The --json option every result-printing command carries.</summary>
    public static Option<bool> JsonOption() => new("--json") { Description = "Print exactly one JSON document on stdout" };

    public static CommandOutput For(ParseResult parse, Option<bool> json) =>
        new(parse.GetValue(json), parse.GetValue(MenderCli.Verbose));

    public bool Json { get; }
    public bool Verbose { get; }

    /// <summary>Human-readable results (stdout); unused when --json is set.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Progress, status and logs (stderr).</summary>
    public IAnsiConsole Err { get; }

    public void Log(string markup) => Err.MarkupLine(markup);

    public void Debug(string text)
    {
        if (Verbose) Err.MarkupLineInterpolated($"[grey]{text}[/]");
    }

    /// <summary>Writes the result: the JSON document with --json, otherwise the human rendering.</summary>
    public void Result<T>(T document, Action<IAnsiConsole> human)
    {
        if (Json)
            Console.Out.WriteLine(JsonSerializer.Serialize(document, JsonOptions));
        else
            human(Out);
    }
}
