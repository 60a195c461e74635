using Spectre.Console;

namespace Mender.Cli.Tests;

public sealed class CommandOutputTests
{
    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "1")]
    [InlineData(false, "1")]
    public void OutputThatIsNotATerminalOrAsksForNoColourIsPlain(bool terminal, string? noColor)
    {
        var settings = CommandOutput.Settings(new StringWriter(), terminal, noColor);
        Assert.Equal((AnsiSupport.No, ColorSystemSupport.NoColors, InteractionSupport.No), (settings.Ansi, settings.ColorSystem, settings.Interactive));
    }

    [Fact]
    public void ATerminalWithAnEmptyNOCOLORKeepsWhatItSupports()
    {
        // no-color.org: only a NO_COLOR that is present and not empty turns colour off.
        var settings = CommandOutput.Settings(new StringWriter(), terminal: true, noColor: "");
        Assert.Equal((AnsiSupport.Detect, ColorSystemSupport.Detect, InteractionSupport.Detect), (settings.Ansi, settings.ColorSystem, settings.Interactive));
    }

    [Fact]
    public void PlainProgressIsWrittenAsLinesWithoutEscapes()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(CommandOutput.Settings(writer, terminal: true, noColor: "1"));
        console.MarkupLine("[grey]matching preferences[/]");
        console.Progress().Start(context =>
        {
            var task = context.AddTask("[blue]train tiger[/]", maxValue: 1);
            task.Value = 0.5;
            context.Refresh();
            task.Value = 1;
        });
        var text = writer.ToString();
        Assert.Contains("matching preferences", text);
        Assert.Contains("train tiger", text);
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\r', text);
    }

    [Fact]
    public void PlainProgressEndsWithEachTaskFinishedStateEvenWhenTheTaskFinishedBeforeAnyRefresh()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(CommandOutput.Settings(writer, terminal: false, noColor: null));
        console.Progress().Start(context =>
        {
            var task = context.AddTask("train tiger", maxValue: 4);
            task.Value = 4;
            task.Description = "step 4/4";
            CommandOutput.EndProgress(console, [task]);
        });
        Assert.Contains("step 4/4: 100%", writer.ToString());
    }

    [Fact]
    public void ATerminalGetsNoClosingProgressLines()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.Yes, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.Yes,
        });
        console.Progress().AutoRefresh(false).Start(context =>
        {
            var task = context.AddTask("sids", maxValue: 1);
            task.Value = 1;
            CommandOutput.EndProgress(console, [task]);
        });
        Assert.DoesNotContain("sids: 100%", writer.ToString());
    }
}
