using System.CommandLine;
using Mender.Cli.Commands;
using Mender.Data.Text;

namespace Mender.Cli;

/// <summary>Builds the command tree and maps failures to exit codes: 0 ok, 1 user error, 2 internal error.</summary>
public static class MenderCli
{
    /// <summary>The exit code of success.</summary>
    public const int Ok = 0;

    /// <summary>The exit code of a mistake in what the user gave: arguments, files, the machine.</summary>
    public const int UserError = 1;

    /// <summary>The exit code of a bug of ours; --verbose shows the stack trace.</summary>
    public const int InternalError = 2;

    internal static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show details and stack traces on errors",
        Recursive = true,
    };

    /// <summary>The command tree with every command and its options.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Mender.NET: preference discerning for generative recommendation, on a plain CPU.");
        root.Options.Add(Verbose);
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Runs one command line and returns its exit code (130 when interrupted).</summary>
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellation = default)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        var verbose = parse.GetValue(Verbose);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // First Ctrl+C asks the running job to stop at a safe point; a second one kills the process.
            if (!cts.IsCancellationRequested)
            {
                e.Cancel = true;
                cts.Cancel();
            }
        };
        Console.CancelKeyPress += onCancel;
        using var onTerm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM,
            context =>
            {
                context.Cancel = true;
                cts.Cancel();
            });
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                // Ctrl+C is ours: it cancels the token the commands get, and we map the cancellation to exit code 130.
                ProcessTerminationTimeout = null,
            }, cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Console.Error.WriteLine("mender: interrupted; completed work is saved and the next run resumes from it");
            return 130;
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            Console.Error.WriteLine($"mender: {UserMessage.Of(ex)}");
            if (verbose) Console.Error.WriteLine(ex);
            return UserError;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"mender: internal error: {ex.GetType().Name}: {Excerpt.Line(ex.Message, Excerpt.MaxMessageLength)}");
            if (verbose) Console.Error.WriteLine(ex);
            else Console.Error.WriteLine("mender: run again with --verbose for the stack trace");
            return InternalError;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>
    /// Errors caused by what the user gave us or the machine they run on: bad files, paths, arguments, and I/O failures
    /// such as a full disk or a file that ends early (IOException), which are no bug of ours.
    /// </summary>
    internal static bool IsUserError(Exception ex) => ex is InvalidDataException or FormatException
        or IOException or ArgumentException
        or UnauthorizedAccessException or NotSupportedException or CliUserException;
}

/// <summary>A mistake in the command line itself, reported as a one-line message with exit code 1.</summary>
public sealed class CliUserException(string message) : Exception(message);
