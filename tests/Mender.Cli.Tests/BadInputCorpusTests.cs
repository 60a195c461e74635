using System.Text;
using Xunit.Abstractions;

namespace Mender.Cli.Tests;

/// <summary>
/// Bad inputs a hostile new user tries, generated here (<see cref="BadInputs"/>), against the CLI commands: each must
/// exit 1 (never 2) with one `mender:` line under 500 characters naming the file, option or field at fault, and leave
/// no output behind.
/// </summary>
[Collection(TrainedDemoRun.Collection)]
public sealed class BadInputCorpusTests(TrainedDemoRun run, ITestOutputHelper output)
{
    /// <summary>A command line and the text its error must contain.</summary>
    private sealed record Case(string Names, params string[] Args);

    private IEnumerable<Case> Corpus(BadInputs bad)
    {
        var work = bad.Work;
        var existingFile = Path.Combine(work, "existing-file");
        File.WriteAllText(existingFile, "keep me");
        var underFile = Path.Combine(existingFile, "sub");
        var sequences = bad.Text("sequences/sequences.txt", BadInputs.Sequences(20));

        var corruptGzip = bad.Bytes("corrupt-gz/sequences.txt.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, .. Encoding.ASCII.GetBytes("definitely not deflate data")]);
        var truncated = BadInputs.Gzip(BadInputs.Sequences(2000));
        var truncatedGzip = bad.Bytes("truncated-gz/sequences.txt.gz", truncated[..(truncated.Length / 2)]);
        var hugeToken = bad.Text("huge-token/sequences.txt", "U1 I1 " + new string('x', 2_000_000) + "\n");
        bad.Text("huge-token/items.jsonl", "{\"item_id\": \"I1\", \"title\": \"one\"}\n");
        var catalogueOnly = Path.GetDirectoryName(bad.Text("catalogue-only/items.jsonl", "{\"item_id\": \"I1\", \"asin\": \"A1\", \"title\": \"one\"}\n"))!;
        var recbole = bad.Text("recbole/x.inter", "user_id:token\titem_id:token\ttimestamp:float\nu1\ti1\t1\nu1\ti2\n");
        var badItems = bad.Text("bad-items/items.jsonl", "{\"item_id\": \"I1\", \"title\": \"one\"}\n{\"item_id\": \n");
        bad.Text("bad-items/sequences.txt", "U1 I1\n");
        var emptyFolder = Path.Combine(bad.Inputs, "empty");
        Directory.CreateDirectory(emptyFolder);

        var typo = bad.Text("typo.json", "{\"model\": {\"modle_dim\": 32}, \"training\": {\"batch_size\": 4}}");
        var section = bad.Text("section.json", "{\"trainin\": {\"batch_size\": 4}}");
        var range = bad.Text("range.json", "{\"model\": {\"model_dim\": 0}}");
        var wrongType = bad.Text("wrong-type.json", "{\"training\": {\"batch_size\": \"big\"}}");
        var notJson = bad.Text("not-json.json", "model: 32");
        var nullSection = bad.Text("null-section.json", "{\"model\": null}");

        var nan = bad.Checkpoint("nan", run.Checkpoint, BadInputs.PoisonWeights);
        var cut = bad.Checkpoint("cut", run.Checkpoint, d => BadInputs.Truncate(Path.Combine(d, "model.safetensors"), 0.6));
        var header = bad.Checkpoint("header", run.Checkpoint, d => BadInputs.Overwrite(Path.Combine(d, "model.safetensors"), 8, "{\"x\":"u8.ToArray()));
        var config = bad.Checkpoint("config", run.Checkpoint, d => File.WriteAllText(Path.Combine(d, "config.json"), "{\"Model\": "));
        var nullModel = bad.Checkpoint("null-model", run.Checkpoint, d => File.WriteAllText(Path.Combine(d, "config.json"), "{\"Model\": null}"));
        var gguf = bad.Bytes("damaged.gguf", [.. "GGUF"u8, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 0, 0, 0, 0, 0, 0, 0]);
        var coldItems = bad.Text("cold.jsonl", "{\"item_id\": \"new-1\", \"title\": \"x\"}\nnot json\n");
        var fifo = Path.Combine(bad.Inputs, "pipe.gguf");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();

        return
        [
            new(existingFile, "data", "import", run.Dataset, "--out", existingFile),
            new(existingFile, "data", "generate-demo", "--out", existingFile),
            new(existingFile, "sids", "build", run.Dataset, "--out", existingFile),
            new(existingFile, "preferences", "extract", run.Dataset, "--out", existingFile),
            new(existingFile, "train", run.Dataset, "--out", existingFile),
            new(existingFile, "train", run.Dataset, "--out", underFile),
            new(existingFile, "demo", "--out", existingFile),
            new(existingFile, "bench", "build", run.Dataset, "--out", existingFile),
            new(work, "eval", run.Dataset, "--baseline", "most-popular", "--per-user", work),
            new("--max-minutes", "train", run.Dataset, "--max-minutes", "0", "--out", Path.Combine(work, "run")),
            new("--max-steps", "train", run.Dataset, "--max-steps", "0", "--out", Path.Combine(work, "run")),
            new("--preferences", "train", run.Dataset, "--mode", "mender", "--out", Path.Combine(work, "run")),
            new("--cooccurrence must be a share from 0 to 1, got 1.5", "train", run.Dataset, "--cooccurrence", "1.5", "--out", Path.Combine(work, "run")),
            new("sasrec mode has none", "train", run.Dataset, "--mode", "sasrec", "--cooccurrence", "0.5", "--out", Path.Combine(work, "run")),
            new("--sids gives SIDs already built", "train", run.Dataset, "--cooccurrence", "0.5", "--sids", Path.Combine(run.Checkpoint, "sids"), "--out", Path.Combine(work, "run")),
            new("\"modle_dim\" in \"model\" (did you mean \"model_dim\"?)", "train", run.Dataset, "--config", typo, "--out", Path.Combine(work, "run")),
            new("\"trainin\" (did you mean \"training\"?)", "train", run.Dataset, "--config", section, "--out", Path.Combine(work, "run")),
            new("model.model_dim", "train", run.Dataset, "--config", range, "--out", Path.Combine(work, "run")),
            new("\"training.batch_size\"", "train", run.Dataset, "--config", wrongType, "--out", Path.Combine(work, "run")),
            new(notJson, "train", run.Dataset, "--config", notJson, "--out", Path.Combine(work, "run")),
            new("\"model\"", "train", run.Dataset, "--config", nullSection, "--out", Path.Combine(work, "run")),
            new(bad.Inputs, "train", run.Dataset, "--config", bad.Inputs, "--out", Path.Combine(work, "run")),
            new("/proc/nope", "train", run.Dataset, "--config", "/proc/nope", "--out", Path.Combine(work, "run")),
            new("has no users", "train", catalogueOnly, "--out", Path.Combine(work, "run")),
            new("--checkpoint or --baseline", "eval", run.Dataset, "--checkpoint", run.Checkpoint, "--baseline", "most-popular"),
            new("--limit", "eval", run.Dataset, "--baseline", "most-popular", "--limit", "-5"),
            new("--beam", "eval", run.Dataset, "--checkpoint", run.Checkpoint, "--beam", "0"),
            new("holds NaN", "eval", run.Dataset, "--checkpoint", nan),
            new("holds NaN", "recommend", "--checkpoint", nan, "--user", "U00001"),
            new(cut, "eval", run.Dataset, "--checkpoint", cut),
            new(header, "eval", run.Dataset, "--checkpoint", header),
            new(config, "recommend", "--checkpoint", config, "--user", "U00001"),
            new(nullModel, "eval", run.Dataset, "--checkpoint", nullModel),
            new("another catalogue", "eval", sequences, "--checkpoint", run.Checkpoint),
            new(corruptGzip, "data", "stats", Path.GetDirectoryName(corruptGzip)!),
            new(truncatedGzip, "data", "stats", truncatedGzip),
            new(corruptGzip, "data", "import", corruptGzip, "--out", Path.Combine(work, "cache")),
            new("is not in items.jsonl", "data", "stats", hugeToken),
            new(recbole, "data", "stats", recbole),
            new(badItems, "data", "import", Path.GetDirectoryName(badItems)!, "--out", Path.Combine(work, "cache")),
            new("/proc/nope", "data", "stats", "/proc/nope"),
            new(emptyFolder, "data", "stats", emptyFolder),
            new("50 to 1,000,000 items, got 10", "data", "generate-demo", "--items", "10", "--out", Path.Combine(work, "demo")),
            new("1 to 1,000,000 users, got 99999999", "data", "generate-demo", "--users", "99999999", "--out", Path.Combine(work, "demo")),
            new("--epochs", "sids", "build", run.Dataset, "--method", "rqvae", "--epochs", "0", "--out", Path.Combine(work, "sids")),
            new("parallelism", "preferences", "extract", run.Dataset, "--parallel", "0", "--out", Path.Combine(work, "store")),
            new(existingFile, "items", "list", "--checkpoint", existingFile),
            new("item 'xxxxx", "recommend", "--checkpoint", run.Checkpoint, "--history", new string('x', 100_000)),
            new(gguf, "llm", "info", gguf),
            new(gguf, "llm", "generate", gguf, "--prompt", "x"),
            new("is a directory", "llm", "generate", emptyFolder, "--prompt", "x"),
            new("not a regular file", "llm", "generate", fifo, "--prompt", "x"),
            new("not a regular file", "llm", "logits", fifo, "--tokens", "1,2"),
            new("is a directory", "llm", "chat", emptyFolder, "--prompt", "x"),
            new("temperature", "llm", "generate", gguf, "--prompt", "x", "--temperature", "-1"),
            new("temperature", "llm", "chat", gguf, "--prompt", "x", "--temperature", "-1"),
            new("--tokens", "llm", "logits", gguf, "--tokens", "1,x"),
            new("is a directory", "preferences", "extract", run.Dataset, "--model", emptyFolder, "--out", Path.Combine(work, "llm-store")),
            new(coldItems, "items", "add", coldItems, "--checkpoint", run.CopyCheckpoint()),
            new(bad.Inputs, "recommend", "--checkpoint", bad.Inputs, "--user", "U00001"),
            new("k must be between", "recommend", "--checkpoint", run.Checkpoint, "--user", "U00001", "-k", "99999"),
            new("user 'nobody'", "recommend", "--checkpoint", run.Checkpoint, "--user", "nobody"),
            new("no item 'nothing'", "sids", "show", run.Dataset, "nothing", "--out", Path.Combine(run.Checkpoint, "sids")),
            new("user 'nobody'", "preferences", "show", run.Dataset, "--user", "nobody", "--out", run.Preferences),
            new(emptyFolder, "bench", "run", run.Dataset, "--bench", emptyFolder),
            new(existingFile, "serve", "--checkpoint", existingFile),
            new("--port", "serve", "--checkpoint", run.Checkpoint, "--port", "99999"),
            new(existingFile, "bench", "serve", "--checkpoint", existingFile),
            new("--items", "bench", "recommend", "--items", "0"),
            new("--repeats", "bench", "recommend", "--repeats", "0"),
            new("--steps", "bench", "train-step", "--steps", "0"),
            new("--seconds", "bench", "gemm", "--seconds", "0"),
        ];
    }

    [Fact]
    public async Task EveryBadInputExits1WithOneShortLineNamingItAndWritesNothing()
    {
        var bad = new BadInputs(Path.Combine(run.Root, "corpus-" + Guid.NewGuid().ToString("N")[..8]));
        var cases = Corpus(bad).ToList();
        foreach (var c in cases)
        {
            var before = Snapshot(bad.Work);
            var result = await InProcessCli.RunAsync(c.Args);
            var what = "mender " + string.Join(' ', c.Args.Select(a => a.Length > 60 ? a[..60] + "..." : a));
            var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(result.ExitCode == 1, $"{what}: exit {result.ExitCode}: {result.Stderr}");
            var error = Assert.Single(lines, l => l.StartsWith("mender:", StringComparison.Ordinal));
            Assert.True(error.Length < 500, $"{what}: a {error.Length}-character error");
            Assert.True(error.Contains(c.Names, StringComparison.Ordinal), $"{what}: the error does not name {c.Names}: {error}");
            foreach (var dotnetWords in (string[])["Actual value was", "(Parameter '", "Could not find", "Access to the path"])
                Assert.False(error.Contains(dotnetWords, StringComparison.Ordinal), $"{what}: .NET's own words leak: {error}");
            var after = Snapshot(bad.Work);
            Assert.True(before.SequenceEqual(after), $"{what} left {string.Join(", ", after.Except(before))}");
        }
        output.WriteLine($"{cases.Count} bad command lines, each a one-line error with exit 1");
    }

    [Fact]
    public async Task AGzippedSequencesFileIsReadLikeThePlainOne()
    {
        var bad = new BadInputs(Path.Combine(run.Root, "gzip-" + Guid.NewGuid().ToString("N")[..8]));
        var plain = Path.GetDirectoryName(bad.Text("plain/sequences.txt", BadInputs.Sequences(30)))!;
        var gzipped = Path.GetDirectoryName(bad.Bytes("gzipped/sequences.txt.gz", BadInputs.Gzip(BadInputs.Sequences(30))))!;

        var fromPlain = await InProcessCli.RunAsync("data", "stats", plain, "--json");
        var fromGzip = await InProcessCli.RunAsync("data", "stats", gzipped, "--json");

        Assert.True(fromGzip.ExitCode == 0, fromGzip.Stderr);
        Assert.Equal(30, fromGzip.Json().GetProperty("users").GetInt32());
        Assert.Equal(fromPlain.Json().GetProperty("interactions").GetInt32(), fromGzip.Json().GetProperty("interactions").GetInt32());
    }

    private static string[] Snapshot(string folder) =>
        Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(p => $"{Path.GetRelativePath(folder, p)} {(File.Exists(p) ? new FileInfo(p).Length : -1)}")
            .Order(StringComparer.Ordinal)
            .ToArray();
}
