using System.CommandLine;

namespace Mender.Cli.Commands;

/// <summary>`mender llm generate|chat|logits|bench`: commands that run the model.</summary>
internal static class LlmRunCommands
{
    public static IEnumerable<Command> All()
    {
        yield break;
    }
}
