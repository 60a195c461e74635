using System.CommandLine;
using System.Globalization;
using Mender.Benchmark.Conversation;
using Mender.Service;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender bench conversation`: a scripted multi-turn conversation replayed on one or more checkpoints.</summary>
internal static class ConversationBenchCommand
{
    public static Command Create()
    {
        var checkpoints = new Argument<string[]>("CHECKPOINT") { Description = "Checkpoint folders to compare (e.g. a mender-mode and a tiger-mode run)", Arity = ArgumentArity.OneOrMore };
        var script = new Option<string?>("--script") { Description = "Conversation script (JSON; default: the demo world's, tables/demo-conversation.json)" };
        var users = new Option<int>("--users") { Description = "Users to hold the conversation with (the first ones with a history)", DefaultValueFactory = _ => 200 };
        var k = new Option<int>("--k") { Description = "Items per list", DefaultValueFactory = _ => 10 };
        var json = CommandOutput.JsonOption();
        var command = new Command("conversation",
            "Replay a scripted conversation turn by turn for many users: per turn, the share of the list the turn is about (before and after it) and the overlap with the previous list")
        {
            checkpoints, script, users, k, json,
        };
        command.SetAction(async (ParseResult parse, CancellationToken cancellation) =>
        {
            var output = CommandOutput.For(parse, json);
            var turns = ConversationScript.Load(parse.GetValue(script));
            var userCount = parse.GetValue(users);
            var listLength = parse.GetValue(k);
            if (userCount < 1) throw new ArgumentException($"--users must be at least 1, got {userCount}");
            var runs = new List<ConversationRun>();
            foreach (var checkpoint in parse.GetValue(checkpoints)!)
            {
                using var service = RecommendationService.Open(new RecommendationServiceOptions { Checkpoint = checkpoint });
                output.Err.MarkupLineInterpolated($"[grey]{checkpoint} ({service.Mode} mode): {turns.Count} turns for {userCount} users[/]");
                runs.Add(await ConversationBenchmark.RunAsync(service, checkpoint, turns, userCount, listLength, cancellationToken: cancellation));
            }
            output.Result(new { script = parse.GetValue(script) ?? ConversationScript.DefaultPath, runs }, console =>
            {
                var table = new Table().AddColumns("turn", "says", "preference used");
                foreach (var run in runs) table.AddColumns($"{run.Mode}: about it, before → after", $"{run.Mode}: kept from last list");
                for (var t = 0; t < turns.Count; t++)
                {
                    var cells = new List<string> { (t + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(turns[t].Say),
                        Markup.Escape(runs[0].Turns[t].Preference ?? "") };
                    foreach (var run in runs)
                    {
                        var turn = run.Turns[t];
                        cells.Add($"{turn.Before:P0} → {turn.HitRate:P0} ({(turns[t].WantsMore ? "want more" : "want fewer")})");
                        cells.Add($"{turn.Overlap:P0}");
                    }
                    table.AddRow(cells.ToArray());
                }
                console.Write(table);
                console.MarkupLineInterpolated($"{runs[0].Users} users, k = {runs[0].K}");
            });
            return 0;
        });
        return command;
    }
}
