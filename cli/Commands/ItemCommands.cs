using System.CommandLine;
using Mender.Data.Demo;
using Mender.Service;
using Mender.Recommender.ColdStart;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender items add|list`: cold-start items registered beside a checkpoint (text only, no retraining).</summary>
internal static class ItemCommands
{
    public static Command Create()
    {
        var items = new Command("items", "Cold-start items: new items recommended by their text next to the model's picks, without retraining");
        items.Subcommands.Add(Add());
        items.Subcommands.Add(List());
        return items;
    }

    private static Option<string?> CheckpointOption() =>
        new("--checkpoint") { Description = $"Run directory written by `mender train` (default: the demo's, {DemoLayout.DefaultRoot}/runs/mender)" };

    private static Command Add()
    {
        var checkpoint = CheckpointOption();
        var file = new Argument<string>("FILE") { Description = "JSON lines: {\"item_id\", \"title\", \"attributes\": [...], \"description\"?}; an id given again updates the item" };
        var json = CommandOutput.JsonOption();
        var command = new Command("add", "Register new items from a JSONL file, embedded with the checkpoint's text embedder") { checkpoint, file, json };
        command.SetAction(parse =>
        {
            var output = CommandOutput.For(parse, json);
            var directory = parse.GetValue(checkpoint) ?? DemoLayout.Default.MenderRun;
            var report = RecommendationService.AddColdStartItems(directory, parse.GetValue(file)!);
            output.Result(new { folder = report.Folder, added = report.Added, updated = report.Updated, total = report.Items.Count }, console =>
                console.MarkupLineInterpolated($"{report.Added} new and {report.Updated} updated cold-start items; {report.Items.Count} in [bold]{report.Folder}[/]"));
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var checkpoint = CheckpointOption();
        var json = CommandOutput.JsonOption();
        var command = new Command("list", "List the cold-start items of a checkpoint") { checkpoint, json };
        command.SetAction(parse =>
        {
            var output = CommandOutput.For(parse, json);
            var directory = parse.GetValue(checkpoint) ?? DemoLayout.Default.MenderRun;
            var found = RecommendationService.ListColdStartItems(directory);
            output.Result(new { folder = ColdStartCatalog.FolderOf(directory), items = found.Select(Document).ToArray() }, console =>
            {
                if (found.Count == 0)
                {
                    console.MarkupLine("no cold-start items (add some with `mender items add`)");
                    return;
                }
                var table = new Table().AddColumns("item", "title", "attributes");
                foreach (var item in found)
                    table.AddRow(Markup.Escape(item.ItemId), Markup.Escape(item.Title), Markup.Escape(string.Join(", ", item.Attributes)));
                console.Write(table);
            });
            return 0;
        });
        return command;
    }

    private static object Document(ColdStartItem item) =>
        new { item_id = item.ItemId, title = item.Title, attributes = item.Attributes, description = item.Description };
}
