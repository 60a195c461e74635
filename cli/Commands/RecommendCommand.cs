using System.CommandLine;
using Mender.Data.Demo;
using Mender.Service;
using Mender.Recommender.SemanticIds;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>
/// `mender recommend`: the next items for a user (or a typed history) from a tiger- or mender-mode checkpoint, directly
/// or after the LLM has reasoned about the request (--reasoning --model M.gguf; the thought streams to stderr).
/// </summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = $"Run directory written by `mender train` (default: the demo's, {DemoLayout.DefaultRoot}/runs/mender)" };
        var user = new Option<string?>("--user") { Description = "User id as in the dataset" };
        var history = new Option<string[]>("--history") { Description = "Item ids, oldest first (comma-separated or repeated); added after the user's history", AllowMultipleArgumentsPerToken = true };
        var preference = new Option<string?>("--preference") { Description = "A preference in words (mender mode), e.g. \"fragrance-free moisturizer\"" };
        var turns = new Option<string[]>("--turn") { Description = "Instead of --preference: what the user said over a conversation, one turn per option, oldest first (a later turn overrides one it contradicts)" };
        var k = new Option<int>("-k") { Description = "How many items", DefaultValueFactory = _ => 10 };
        var beam = new Option<int?>("--beam") { Description = "Beam width (default: the checkpoint's, at least 2k)" };
        var temperature = new Option<float>("--temperature") { Description = "Above 0: sample the beams for diversity", DefaultValueFactory = _ => 0f };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the sampling", DefaultValueFactory = _ => 42 };
        var includeHistory = new Option<bool>("--include-history") { Description = "Allow items already in the history" };
        var reasoning = new Option<bool>("--reasoning") { Description = "Let the LLM think about the history and request first and write the preference (needs --model)" };
        var model = new Option<string?>("--model") { Description = "GGUF model for --reasoning" };
        var prompts = new Option<string?>("--prompts") { Description = "Prompt folder overriding the shipped one (same layout: Reasoning/skprompt.txt and config.json, ...)" };
        var threads = new Option<int>("--threads", "-t") { Description = "Threads of the LLM (0: one per core)", DefaultValueFactory = _ => 0 };
        var json = CommandOutput.JsonOption();
        var command = new Command("recommend", "Recommend the next items for a user from a checkpoint, optionally reasoning first")
        {
            checkpoint, user, history, preference, turns, k, beam, temperature, seed, includeHistory, reasoning, model, prompts, threads, json,
        };
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var output = CommandOutput.For(parse, json);
            var think = parse.GetValue(reasoning);
            if (think && string.IsNullOrWhiteSpace(parse.GetValue(model)))
                throw new CliUserException("--reasoning needs --model MODEL.gguf");
            var items = (parse.GetValue(history) ?? [])
                .SelectMany(h => h.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
            var who = parse.GetValue(user);
            var said = parse.GetValue(turns) is { Length: > 0 } given ? given : null;
            if (said is not null && parse.GetValue(preference) is not null) throw new CliUserException("give --preference or --turn, not both");
            if (who is null && items.Length == 0 && string.IsNullOrWhiteSpace(parse.GetValue(preference)) && said is null)
                throw new CliUserException("give --user, --history, --preference or --turn");
            using var service = RecommendationService.Open(new RecommendationServiceOptions
            {
                Checkpoint = parse.GetValue(checkpoint) ?? DemoLayout.Default.MenderRun,
                ModelPath = parse.GetValue(model),
                PromptsDirectory = parse.GetValue(prompts),
                Threads = parse.GetValue(threads),
            });
            var request = new RecommendationRequest
            {
                UserId = who,
                History = items.Length > 0 ? items : null,
                Preference = parse.GetValue(preference),
                Turns = said,
                K = parse.GetValue(k),
                Beam = parse.GetValue(beam),
                Reasoning = think,
                ExcludeHistory = !parse.GetValue(includeHistory),
                Temperature = parse.GetValue(temperature),
                Seed = parse.GetValue(seed),
            };
            var response = await Run(service, request, output, ct);
            foreach (var note in response.Notes) output.Log($"[yellow]{Markup.Escape(note)}[/]");
            var document = new
            {
                user = who,
                mode = response.Mode,
                preference = response.Preference,
                reasoning = response.Reasoning,
                notes = response.Notes,
                history = response.HistoryLength,
                milliseconds = response.Milliseconds,
                prompt_tokens = response.PromptTokens,
                completion_tokens = response.CompletionTokens,
                items = response.Items.Select((r, i) => new
                {
                    rank = i + 1,
                    item = r.ItemId,
                    title = r.Title,
                    score = r.Score,
                    sid = r.Sid,
                    reason = r.Reason,
                    cold_start = r.ColdStart,
                }).ToArray(),
            };
            output.Result(document, console =>
            {
                var about = who is null ? "typed history" : who;
                console.MarkupLineInterpolated($"[bold]{about}[/] ({response.HistoryLength} items in history, {response.Mode} mode, {response.Milliseconds:F1} ms)");
                if (response.Preference is { } chosen) console.MarkupLineInterpolated($"preference: [italic]{chosen}[/]");
                var table = new Table().AddColumns("#", "item", "title", "score", "SID", "why");
                foreach (var item in document.items)
                    table.AddRow(item.rank.ToString(), Markup.Escape(item.item + (item.cold_start ? " (new)" : "")), Markup.Escape(item.title),
                        $"{item.score:F3}", item.sid.Count > 0 ? SidTable.Format(item.sid.ToArray()) : "-", Markup.Escape(item.reason ?? ""));
                console.Write(table);
            });
            return 0;
        });
        return command;
    }

    /// <summary>Runs the request, streaming the thought to stderr as it is written (human mode only).</summary>
    private static async Task<RecommendationResponse> Run(RecommendationService service, RecommendationRequest request, CommandOutput output, CancellationToken ct)
    {
        try
        {
            await foreach (var e in service.StreamAsync(request, ct))
            {
                switch (e)
                {
                    case ThoughtDelta delta when !output.Json:
                        output.Err.Write(new Text(delta.Text, new Style(Color.Grey)));
                        break;
                    case Completed done:
                        if (done.Response.Reasoning is not null && !output.Json) output.Err.WriteLine();
                        return done.Response;
                }
            }
        }
        catch (KeyNotFoundException e)
        {
            throw new CliUserException(e.Message);
        }
        throw new InvalidOperationException("the recommendation ended without a result");
    }
}
