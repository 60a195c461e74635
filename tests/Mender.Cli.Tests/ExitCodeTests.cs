namespace Mender.Cli.Tests;

public class ExitCodeTests
{
    [Fact]
    public void HelpSucceedsAndListsCommands()
    {
        var result = CliRunner.Run("--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("llm", result.Stdout);
    }

    [Fact]
    public void UnknownCommandIsAUserError()
    {
        var result = CliRunner.Run("no-such-command");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no-such-command", result.Stderr);
    }
}
