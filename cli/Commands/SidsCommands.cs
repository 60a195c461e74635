using System.CommandLine;
using Mender.Data;
using Mender.Llm.Adapters;
using Mender.Recommender.Embeddings;
using Mender.Recommender.SemanticIds;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender sids build|show`: semantic IDs of a catalogue.</summary>
internal static class SidsCommands
{
    public static Command Create()
    {
        var sids = new Command("sids", "Semantic IDs: build item codes from item text, inspect them");
        sids.Subcommands.Add(Build());
        sids.Subcommands.Add(Show());
        return sids;
    }

    private static Command Build()
    {
        var dataset = new Argument<string>("DATASET") { Description = "Dataset folder or file" };
        var method = new Option<string>("--method") { Description = "rkmeans (residual k-means) or rqvae", DefaultValueFactory = _ => "rkmeans" };
        method.AcceptOnlyFromAmong("rkmeans", "rqvae");
        var embedder = new Option<string>("--embedder") { Description = "lexical (built-in TF-IDF + SVD) or a MODEL.gguf path", DefaultValueFactory = _ => "lexical" };
        var outDir = new Option<string?>("--out") { Description = "Output directory (default .mender/sids/<dataset>/<method>[-nearest]-<embedder>-s<seed>)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the embedder's SVD and the quantizer", DefaultValueFactory = _ => 42 };
        var lastLevel = new Option<string>("--last-level")
        {
            Description = "distinct: items sharing the first codes get different last codes where possible; nearest: plain nearest codeword",
            DefaultValueFactory = _ => "distinct",
        };
        lastLevel.AcceptOnlyFromAmong("distinct", "nearest");
        var pooling = new Option<string>("--pooling")
        {
            Description = "With a GGUF embedder: mean of all token states, or the last token's (embedding models such as Qwen3-Embedding)",
            DefaultValueFactory = _ => "mean",
        };
        pooling.AcceptOnlyFromAmong("mean", "last");
        var cooccurrence = new Option<double>("--cooccurrence")
        {
            Description = "Share (0 to 1) of each item vector given to how items co-occur in training histories, so items bought together share code prefixes; 0 is text only",
            DefaultValueFactory = _ => 0,
        };
        var epochs = new Option<int>("--epochs") { Description = "RQ-VAE training epochs", DefaultValueFactory = _ => new RqVaeOptions().Epochs };
        var json = CommandOutput.JsonOption();
        var command = new Command("build", "Embed item texts and learn 3 levels × 256 codes plus a collision code per item")
        {
            dataset, method, embedder, pooling, outDir, seed, lastLevel, cooccurrence, epochs, json,
        };
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var output = CommandOutput.For(parse, json);
            var directory = OutputPath.FolderIfGiven(parse.GetValue(outDir), "--out");
            var data = LoadDataset(parse.GetValue(dataset)!, output);
            var options = new SidBuildOptions
            {
                Method = SidBuildOptions.ParseMethod(parse.GetValue(method)!),
                Seed = parse.GetValue(seed),
                DistinctLastLevel = parse.GetValue(lastLevel) == "distinct",
                RqVae = new RqVaeOptions
                {
                    Epochs = parse.GetValue(epochs) is >= 1 and var e ? e : throw new CliUserException($"--epochs must be at least 1, got {parse.GetValue(epochs)}"),
                },
                Cooccurrence = new CooccurrenceOptions { Weight = parse.GetValue(cooccurrence) },
            };
            options.Cooccurrence.Validate();
            var poolingMode = parse.GetValue(pooling) == "last" ? EmbeddingPooling.LastToken : EmbeddingPooling.Mean;
            options = options with { Embedder = Embedder(parse.GetValue(embedder)!, options.Seed, poolingMode) };
            if (directory is null)
            {
                // Builds in the default place share one embedding cache per dataset, so a second method reuses the first's embeddings.
                directory = DefaultDirectory(data.Name, options);
                options = options with { EmbeddingCacheDirectory = Path.Combine(Path.GetDirectoryName(directory)!, "embeddings") };
            }
            output.Log($"[grey]{Markup.Escape(data.Name)}: {data.Items.Count} items → {Markup.Escape(directory)}[/]");

            SidBuildResult? result = null;
            await output.Err.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async context =>
                {
                    var tasks = new Dictionary<string, ProgressTask>
                    {
                        ["embed"] = context.AddTask($"embed ({Markup.Escape(options.Embedder!.Name)})", maxValue: 1),
                        ["quantize"] = context.AddTask($"quantize ({SidBuildOptions.MethodName(options.Method)})", maxValue: 1),
                        ["write"] = context.AddTask("write artefacts", maxValue: 1),
                    };
                    var progress = new ProgressRelay<SidBuildProgress>(p =>
                    {
                        if (tasks.TryGetValue(p.Stage, out var task)) task.Value = p.Fraction;
                    });
                    result = await SidBuilder.BuildAsync(data, directory, options, progress, ct);
                    foreach (var task in tasks.Values) task.Value = 1;
                    output.EndProgress(tasks.Values);
                });

            var quality = result!.Quality;
            output.Result(new { output_directory = Path.GetFullPath(directory), reused = result.Reused, quality }, console =>
            {
                console.MarkupLineInterpolated($"{(result.Reused ? "Reused" : "Built")} semantic IDs in [bold]{Path.GetFullPath(directory)}[/]");
                var table = new Table().AddColumns("measure", "value");
                table.AddRow("items", quality.Items.ToString());
                table.AddRow("method / embedder", Markup.Escape($"{quality.Method} ({quality.LastLevel} last level) / {quality.Embedder} (d={quality.EmbeddingDimensions}), seed {quality.Seed}"));
                table.AddRow("codes used per level", string.Join(" / ", quality.CodesUsedPerLevel.Zip(quality.CodebookSizes, (u, s) => $"{u} of {s}")));
                table.AddRow("perplexity per level", string.Join(" / ", quality.PerplexityPerLevel.Select(p => p.ToString("F1"))));
                table.AddRow("items sharing a prefix", $"{quality.PrefixCollisionRate:P2}");
                table.AddRow("largest collision group", quality.MaxCollisionGroup.ToString());
                table.AddRow("relative reconstruction error", quality.RelativeReconstructionError.ToString("F4"));
                table.AddRow("wall time", $"{quality.WallTimeSeconds:F1} s (embed {quality.EmbeddingSeconds:F1} s, quantize {quality.QuantizationSeconds:F1} s)");
                console.Write(table);
            });
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var dataset = new Argument<string>("DATASET") { Description = "Dataset folder or file" };
        var item = new Argument<string>("ITEM") { Description = "Item external id (e.g. an ASIN), or #N for dense id N" };
        var outDir = new Option<string?>("--out") { Description = "Build directory (default: the only build under .mender/sids/<dataset>/)" };
        var count = new Option<int>("--count") { Description = "Nearest items to list", DefaultValueFactory = _ => 10 };
        var json = CommandOutput.JsonOption();
        var command = new Command("show", "Print an item's semantic ID and the items nearest to it by shared SID prefix")
        {
            dataset, item, outDir, count, json,
        };
        command.SetAction((ParseResult parse) =>
        {
            var output = CommandOutput.For(parse, json);
            var data = LoadDataset(parse.GetValue(dataset)!, output);
            var directory = parse.GetValue(outDir) ?? FindBuild(data.Name);
            var (table, quality) = SidBuilder.Load(directory);
            if (table.Count != data.Items.Count)
                throw new CliUserException($"the SIDs in '{directory}' cover {table.Count} items but the dataset has {data.Items.Count}");
            var id = ResolveItem(parse.GetValue(item)!, table);
            var neighbours = SidNeighbours.Of(table, id, Math.Max(0, parse.GetValue(count)));

            string Title(int i) => data.Items[i].Title;
            output.Result(new
            {
                item = new { id, external_id = table.ExternalId(id), title = Title(id), sid = table[id].ToArray() },
                method = quality.Method,
                embedder = quality.Embedder,
                neighbours = neighbours.Select(n => new
                {
                    id = n.Item, external_id = table.ExternalId(n.Item), title = Title(n.Item),
                    sid = table[n.Item].ToArray(), shared_prefix = n.SharedPrefix,
                }),
            }, console =>
            {
                console.MarkupLineInterpolated($"[bold]{table.ExternalId(id)}[/] (#{id}) {Title(id)}");
                console.MarkupLineInterpolated($"SID {SidTable.Format(table[id])}  ({quality.Method}, {quality.Embedder})");
                var list = new Table().AddColumns("shared", "SID", "item", "title");
                foreach (var n in neighbours)
                    list.AddRow(n.SharedPrefix.ToString(), SidTable.Format(table[n.Item]), Markup.Escape(table.ExternalId(n.Item)), Markup.Escape(Title(n.Item)));
                console.Write(list);
            });
            return 0;
        });
        return command;
    }

    private static Dataset LoadDataset(string path, CommandOutput output)
    {
        var data = DatasetLoader.Load(path);
        output.Debug($"loaded {data.Source}: {data.Items.Count} items");
        return data;
    }

    private static CatalogueEmbedder Embedder(string spec, int seed, EmbeddingPooling pooling)
    {
        if (spec.Equals("lexical", StringComparison.OrdinalIgnoreCase))
            return CatalogueEmbedder.Lexical(new LexicalEmbedderOptions { Seed = seed });
        if (spec.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
        {
            var file = new FileInfo(spec);
            if (!file.Exists) throw new FileNotFoundException($"embedding model '{spec}' not found", spec);
            // The cache key names the model file (and its size, so a replaced file is not mistaken for the old one) and the
            // pooling, which changes the vectors.
            var name = $"gguf-{Path.GetFileNameWithoutExtension(file.Name)}-{file.Length}-{pooling.ToString().ToLowerInvariant()}";
            return CatalogueEmbedder.From(name, _ =>
                Task.FromResult<IEmbeddingGenerator<string, Embedding<float>>>(LocalEmbeddingGenerator.Open(file.FullName, pooling)));
        }
        throw new CliUserException($"unknown embedder '{spec}': use lexical or a path to a .gguf model");
    }

    private static string DefaultDirectory(string dataset, SidBuildOptions options) =>
        Path.Combine(Workspace.Folder("sids", Safe(dataset)),
            $"{SidBuildOptions.MethodName(options.Method)}{(options.DistinctLastLevel ? "" : "-nearest")}-{Safe(options.Embedder!.Name)}{(options.Cooccurrence.Enabled ? $"-cooc{options.Cooccurrence.Weight:0.###}" : "")}-s{options.Seed}");

    /// <summary>The single finished build under .mender/sids/&lt;dataset&gt;/, or a message listing what is there.</summary>
    private static string FindBuild(string dataset)
    {
        var root = Workspace.Folder("sids", Safe(dataset));
        var builds = Directory.Exists(root) ? Directory.GetDirectories(root).Where(SidBuilder.IsFinished).Order().ToArray() : [];
        return builds.Length switch
        {
            1 => builds[0],
            0 => throw new CliUserException($"no finished SID build under '{root}': run `mender sids build` first or pass --out"),
            _ => throw new CliUserException($"several SID builds under '{root}' ({string.Join(", ", builds.Select(Path.GetFileName))}); pick one with --out"),
        };
    }

    private static int ResolveItem(string spec, SidTable table)
    {
        var id = table.IndexOf(spec);
        if (id >= 0) return id;
        if (spec.StartsWith('#') && int.TryParse(spec.AsSpan(1), out var dense) && dense >= 0 && dense < table.Count) return dense;
        throw new CliUserException($"no item '{spec}' in the SID table (give an external id, or #N for a dense id below {table.Count})");
    }

    private static string Safe(string name) =>
        string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));
}
