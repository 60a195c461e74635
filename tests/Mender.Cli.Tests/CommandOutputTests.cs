using Spectre.Console;

namespace Mender.Cli.Tests;

public sealed class CommandOutputTests
{
    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "1")]
    [InlineData(false, "1")]
    public void Output_that_is_not_a_terminal_or_asks_for_no_colour_is_plain(bool terminal, string? noColor)
    {
        var settings = CommandOutput.Settings(new StringWriter(), terminal, noColor);
        Assert.Equal((AnsiSupport.No, ColorSystemSupport.NoColors, InteractionSupport.No), (settings.Ansi, settings.ColorSystem, settings.Interactive));
    }

    [Fact]
    public void A_terminal_with_an_empty_NO_COLOR_keeps_what_it_supports()
    {
        // no-color.org: only a NO_COLOR that is present and not empty turns colour off.
        var settings = CommandOutput.Settings(new StringWriter(), terminal: true, noColor: "");
        Assert.Equal((AnsiSupport.Detect, ColorSystemSupport.Detect, InteractionSupport.Detect), (settings.Ansi, settings.ColorSystem, settings.Interactive));
    }

    [Fact]
    public void Plain_progress_is_written_as_lines_without_escapes()
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
}
