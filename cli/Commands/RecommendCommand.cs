using System.CommandLine;
using System.Diagnostics;
using Mender.Numerics;
using Mender.Numerics.Checkpoints;
using Mender.Recommender.Data;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Model;
using Mender.Recommender.SemanticIds;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender recommend`: the next items for one user from a tiger- or mender-mode checkpoint.</summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Run directory written by `mender train` (tiger or mender mode)", Required = true };
        var user = new Option<string>("--user") { Description = "User id as in the dataset (or its dense index)", Required = true };
        var preference = new Option<string?>("--preference") { Description = "A preference in words (mender mode), e.g. \"fragrance-free moisturizer\"" };
        var k = new Option<int>("-k") { Description = "How many items", DefaultValueFactory = _ => 10 };
        var beam = new Option<int>("--beam") { Description = "Beam width", DefaultValueFactory = _ => 20 };
        var temperature = new Option<float>("--temperature") { Description = "Above 0: sample the beams for diversity", DefaultValueFactory = _ => 0f };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the sampling", DefaultValueFactory = _ => 42 };
        var json = CommandOutput.JsonOption();
        var command = new Command("recommend", "Recommend the next items for a user from a checkpoint (trie-constrained beam search)")
        {
            checkpoint, user, preference, k, beam, temperature, seed, json,
        };
        command.SetAction(parse =>
        {
            var output = CommandOutput.For(parse, json);
            var directory = parse.GetValue(checkpoint)!;
            if (RunDirectory.MethodOf(directory) != RunDirectory.Mender) throw new CliUserException($"{directory} is not a tiger/mender checkpoint");
            var recorded = Checkpoint.LoadConfig<MenderCheckpointInfo>(directory);
            var data = DatasetLoader.Load(recorded.Dataset ?? throw new InvalidDataException($"checkpoint {directory} does not record its dataset"));
            var trained = TrainedMender.Open(directory, new TextEmbedders(data));
            var who = FindUser(data, parse.GetValue(user)!);
            var count = parse.GetValue(k);
            var width = parse.GetValue(beam);
            if (count < 1 || width < count) throw new ArgumentException($"-k must be at least 1 and at most --beam ({width})");
            var text = parse.GetValue(preference);
            if (trained.Mode != MenderMode.Mender && !string.IsNullOrWhiteSpace(text))
                output.Log("[yellow]this checkpoint was trained in tiger mode: the preference is ignored[/]");
            var vector = string.IsNullOrWhiteSpace(text) ? null : trained.PreferenceMatrix([text]);
            var history = who.Interactions.Select(i => i.ItemId).ToArray();
            var recommender = trained.Recommender(width);
            var clock = Stopwatch.StartNew();
            var found = recommender.Search([history], vector, count, parse.GetValue(temperature), new Rng(parse.GetValue(seed)))[0];
            var milliseconds = clock.Elapsed.TotalMilliseconds;
            var items = found.Select((r, i) => new
            {
                rank = i + 1,
                item = data.Items[r.Item].ExternalId,
                title = data.Items[r.Item].Title,
                score = r.Score,
                sid = trained.Sids[r.Item].ToArray(),
            }).ToArray();
            output.Result(new { user = who.ExternalId, mode = recommender.Name, preference = text, history = history.Length, milliseconds, items }, console =>
            {
                console.MarkupLineInterpolated($"[bold]{who.ExternalId}[/] ({history.Length} items in history, {recommender.Name} mode, {milliseconds:F1} ms)");
                var table = new Table().AddColumns("#", "item", "title", "score", "SID");
                foreach (var item in items)
                    table.AddRow(item.rank.ToString(), Markup.Escape(item.item), Markup.Escape(item.title), $"{item.score:F3}", SidTable.Format(item.sid));
                console.Write(table);
            });
            return 0;
        });
        return command;
    }

    private static User FindUser(Dataset data, string id)
    {
        foreach (var user in data.Users)
            if (user.ExternalId == id) return user;
        if (int.TryParse(id, out var index) && index >= 0 && index < data.Users.Count) return data.Users[index];
        throw new ArgumentException($"user '{id}' is not in dataset '{data.Name}'");
    }
}
