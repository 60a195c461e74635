namespace Mender.Cli.Tests;

/// <summary>
/// Runs <see cref="MenderCli.RunAsync"/> in this process with stdout and stderr captured, for tests that run many
/// commands (a process start each would take most of their time). The console is process-wide, so callers sit in a
/// collection whose other tests start the CLI as a separate process and never touch it.
/// </summary>
internal static class InProcessCli
{
    private static readonly SemaphoreSlim ConsoleInUse = new(1, 1);

    public static async Task<CliRunner.Result> RunAsync(params string[] args)
    {
        await ConsoleInUse.WaitAsync();
        var (stdout, stderr) = (Console.Out, Console.Error);
        var (capturedOut, capturedErr) = (new StringWriter(), new StringWriter());
        try
        {
            Console.SetOut(capturedOut);
            Console.SetError(capturedErr);
            var exit = await MenderCli.RunAsync(args);
            return new CliRunner.Result(exit, capturedOut.ToString(), capturedErr.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
            ConsoleInUse.Release();
        }
    }
}
