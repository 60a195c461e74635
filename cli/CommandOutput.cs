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
        var noColor = Environment.GetEnvironmentVariable("NO_COLOR");
        Out = AnsiConsole.Create(Settings(Console.Out, !Console.IsOutputRedirected, noColor));
        Err = AnsiConsole.Create(Settings(Console.Error, !Console.IsErrorRedirected, noColor));
        // A file has no width: a progress or log line, or a Markdown table row, stays one line instead of wrapping at
        // Spectre's 80 columns.
        if (Console.IsOutputRedirected) Out.Profile.Width = RedirectedWidth;
        if (Console.IsErrorRedirected) Err.Profile.Width = RedirectedWidth;
    }

    /// <summary>The width of stdout and stderr when they are not a terminal: wide enough for any line.</summary>
    internal const int RedirectedWidth = 1000;

    /// <summary>
    /// How a console writes: plain lines (no colour, no escapes, progress as lines instead of a redrawn bar) unless it is
    /// a terminal and NO_COLOR is unset or empty (https://no-color.org); otherwise what the terminal supports.
    /// </summary>
    internal static AnsiConsoleSettings Settings(TextWriter writer, bool terminal, string? noColor)
    {
        var plain = !terminal || !string.IsNullOrEmpty(noColor);
        return new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = plain ? InteractionSupport.No : InteractionSupport.Detect,
        };
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

    /// <summary>
    /// Ends a progress display on stderr. A terminal shows the finished bars already; plain output gets one closing line
    /// per task, because Spectre's line renderer writes a task at 25, 50, 75 and 95–99 % but never once it is finished,
    /// so a log of a short job would not say where it ended.
    /// </summary>
    public void EndProgress(params IEnumerable<ProgressTask> tasks) => EndProgress(Err, tasks);

    internal static void EndProgress(IAnsiConsole console, IEnumerable<ProgressTask> tasks)
    {
        if (console.Profile.Capabilities.Interactive) return;
        foreach (var task in tasks)
            console.MarkupLine($"{task.Description}: {(int)task.Percentage}%");
    }

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
