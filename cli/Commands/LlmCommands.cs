using System.CommandLine;

namespace Mender.Cli.Commands;

/// <summary>`mender llm ...`: the local LLM engine. File-level commands and run-time commands live in their own files.</summary>
internal static class LlmCommands
{
    public static Command Create()
    {
        var llm = new Command("llm", "Local LLM engine: inspect, tokenize, generate with and benchmark GGUF models");
        foreach (var command in LlmFileCommands.All())
            llm.Subcommands.Add(command);
        foreach (var command in LlmRunCommands.All())
            llm.Subcommands.Add(command);
        return llm;
    }
}
