namespace Mender.Cli.Tests;

[Collection(TrainedDemoRun.Collection)]
public sealed class ItemCommandTests(TrainedDemoRun run)
{
    private string Write(params string[] lines)
    {
        var path = Path.Combine(run.Root, "items-" + Guid.NewGuid().ToString("N")[..8] + ".jsonl");
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void AddedItemsAreListedAndRecommended()
    {
        var checkpoint = run.CopyCheckpoint();
        var file = Write(
            """{"item_id": "NEW-1", "title": "Unscented Shea Butter Moisturizer for Very Dry Skin", "attributes": ["fragrance-free", "for dry skin", "moisturizer"], "description": "A rich shea butter moisturizer for very dry skin."}""",
            """{"item_id": "NEW-2", "title": "Neon Party Glitter Spray", "attributes": ["glitter"]}""");
        var added = CliRunner.RunIn(run.Root, "items", "add", "--checkpoint", checkpoint, file, "--json");
        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.Equal(2, added.Json().GetProperty("added").GetInt32());

        var listed = CliRunner.RunIn(run.Root, "items", "list", "--checkpoint", checkpoint, "--json").Json();
        Assert.Equal(["NEW-1", "NEW-2"], listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item_id").GetString()));

        var recommended = CliRunner.RunIn(run.Root, "recommend", "--checkpoint", checkpoint, "--user", "U00001", "-k", "10",
            "--preference", "fragrance-free shea butter moisturizer for very dry skin", "--json");
        Assert.True(recommended.ExitCode == 0, recommended.Stderr);
        var cold = recommended.Json().GetProperty("items").EnumerateArray().Where(i => i.GetProperty("cold_start").GetBoolean()).ToArray();
        Assert.Equal("NEW-1", Assert.Single(cold).GetProperty("item").GetString());
    }

    [Fact]
    public void AMalformedLineIsNamedByFileAndLineAndNothingIsWritten()
    {
        var checkpoint = run.CopyCheckpoint();
        var file = Write("""{"item_id": "OK", "title": "Fine"}""", """{"item_id": "BAD"}""");
        var result = CliRunner.RunIn(run.Root, "items", "add", "--checkpoint", checkpoint, file);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{file}:2", result.Stderr);
        Assert.Contains("title", result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(checkpoint, "cold-start")));
    }

    [Fact]
    public void AddingAnIdAgainUpdatesIt()
    {
        var checkpoint = run.CopyCheckpoint();
        CliRunner.RunIn(run.Root, "items", "add", "--checkpoint", checkpoint, Write("""{"item_id": "N", "title": "Old"}"""));
        var again = CliRunner.RunIn(run.Root, "items", "add", "--checkpoint", checkpoint, Write("""{"item_id": "N", "title": "New"}"""), "--json").Json();
        Assert.Equal(0, again.GetProperty("added").GetInt32());
        Assert.Equal(1, again.GetProperty("updated").GetInt32());
        var listed = CliRunner.RunIn(run.Root, "items", "list", "--checkpoint", checkpoint, "--json").Json();
        Assert.Equal("New", Assert.Single(listed.GetProperty("items").EnumerateArray()).GetProperty("title").GetString());
    }
}
