using System.CommandLine;
using Mender.Llm.Adapters;
using Mender.Service;
using Mender.Data.Demo;
using Mender.SemanticKernel;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>
/// `mender agent`: a shopping assistant to talk to. A local GGUF chat model decides when to call the recommender (the
/// Semantic Kernel plugin's functions, by automatic function choice); the messages come from --ask, or one per line
/// from standard input.
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "GGUF chat model that talks and calls the tools (an instruct model that follows JSON works best)", Required = true };
        var checkpoint = new Option<string?>("--checkpoint") { Description = $"Run directory written by `mender train` (default: the demo's, {DemoLayout.DefaultRoot}/runs/mender)" };
        var ask = new Option<string[]>("--ask") { Description = "A message, oldest first (repeat for a conversation); without it, messages are read from standard input, one per line" };
        var context = new Option<int>("--context") { Description = "Context length of the chat model (0: the model's, at most 4096)", DefaultValueFactory = _ => 0 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Longest reply or tool call, in tokens", DefaultValueFactory = _ => 512 };
        var template = new Option<string?>("--template") { Description = "Chat template (default: the model's own)" };
        var llm = new LlmModelArguments();
        var json = CommandOutput.JsonOption();
        var command = new Command("agent", "Talk to a shopping assistant: a local chat model that calls the recommender when it needs to")
        {
            model, checkpoint, ask, context, maxTokens, template, json,
        };
        foreach (var option in llm.All) command.Options.Add(option);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var output = CommandOutput.For(parse, json);
            if (parse.GetValue(maxTokens) < 1) throw new CliUserException("--max-tokens must be at least 1");
            using var service = RecommendationService.Open(new RecommendationServiceOptions { Checkpoint = parse.GetValue(checkpoint) ?? DemoLayout.Default.MenderRun });
            using var chat = LocalChatClient.Open(Path.GetFullPath(parse.GetValue(model)!), new LocalChatClientOptions
            {
                ContextLength = parse.GetValue(context),
                DefaultMaxTokens = parse.GetValue(maxTokens),
                Template = parse.GetValue(template),
                Model = llm.Read(parse),
            });
            var agent = new MenderAgent(chat, service);
            var turns = new List<object>();
            await foreach (var message in Messages(parse.GetValue(ask), output, ct))
            {
                var reply = await agent.AskAsync(message, ct);
                foreach (var call in reply.Calls) output.Log($"[grey]called {Markup.Escape(call)}[/]");
                turns.Add(new { message, reply = reply.Text, calls = reply.Calls });
                if (!output.Json) output.Out.WriteLine(reply.Text);
            }
            if (output.Json) output.Result(new { model = chat.ModelId, checkpoint = service.CheckpointDirectory, turns }, _ => { });
            return 0;
        });
        return command;
    }

    /// <summary>The --ask messages, or the lines of standard input until it ends (blank lines skipped).</summary>
    private static async IAsyncEnumerable<string> Messages(string[]? asked, CommandOutput output, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        if (asked is { Length: > 0 })
        {
            foreach (var message in asked.Where(m => !string.IsNullOrWhiteSpace(m))) yield return message;
            yield break;
        }
        var interactive = !Console.IsInputRedirected;
        while (true)
        {
            if (interactive) output.Err.Markup("[bold]> [/]");
            var line = await Console.In.ReadLineAsync(ct);
            if (line is null) yield break;
            if (!string.IsNullOrWhiteSpace(line)) yield return line;
        }
    }
}
