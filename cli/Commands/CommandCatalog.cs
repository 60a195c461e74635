using System.CommandLine;

namespace Mender.Cli.Commands;

/// <summary>The top-level commands, in the order --help lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return DemoCommand.Create();
        yield return DataCommands.Create();
        yield return LlmCommands.Create();
        yield return SidsCommands.Create();
        yield return PreferenceCommands.Create();
        yield return TrainCommand.Create();
        yield return EvalCommand.Create();
        yield return RecommendCommand.Create();
        yield return AgentCommand.Create();
        yield return ItemCommands.Create();
        yield return BenchCommands.Create();
        yield return ResultsCommands.Create();
        yield return ServeCommands.Create();
        yield return ClusterCommands.Create();
    }
}
