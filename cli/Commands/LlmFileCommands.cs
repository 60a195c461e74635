using System.CommandLine;

namespace Mender.Cli.Commands;

/// <summary>`mender llm info|tokenize|make-random`: commands that read or write GGUF files without running the model.</summary>
internal static class LlmFileCommands
{
    public static IEnumerable<Command> All()
    {
        yield break;
    }
}
