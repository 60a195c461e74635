using System.CommandLine;
using System.Diagnostics;
using Mender.Llm.Gguf;
using Mender.Llm.Runtime;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender llm info|tokenize|make-random`: commands that read or write GGUF files without running the model.</summary>
internal static class LlmFileCommands
{
    public static IEnumerable<Command> All()
    {
        yield return Info();
        yield return Tokenize();
        yield return MakeRandom();
    }

    private static Command Info()
    {
        var model = new Argument<string>("MODEL") { Description = "GGUF file" };
        var json = CommandOutput.JsonOption();
        var command = new Command("info", "Show a GGUF file's header, metadata and tensor table, and the llama.cpp build that would run it") { model, json };
        command.SetAction(parse =>
        {
            var output = CommandOutput.For(parse, json);
            using var file = GgufFile.Open(parse.GetValue(model)!);
            var metadata = file.Metadata.ToDictionary(kv => kv.Key, kv => Summarize(kv.Value));
            var tensors = file.Tensors.Select(t => new TensorRow(t.Name, t.Type.ToString(), t.Dimensions, t.DataOffset, t.ByteSize)).ToArray();
            var document = new InfoDocument(file.Path, file.FileSize, file.Version, file.Architecture, file.Alignment,
                file.DataStart, file.Tensors.Count, file.Tensors.Sum(t => t.ElementCount), LlmBackend.Describe(), metadata, tensors);
            output.Result(document, console =>
            {
                console.MarkupLineInterpolated($"[bold]{file.Path}[/]: GGUF v{file.Version}, {file.FileSize:N0} bytes, architecture '{file.Architecture}'");
                console.MarkupLineInterpolated($"{file.Metadata.Count} metadata keys, {file.Tensors.Count} tensors, {document.Parameters:N0} parameters, alignment {file.Alignment}");
                console.MarkupLineInterpolated($"native backend: llama.cpp {document.Backend}");
                var meta = new Table().AddColumn("key").AddColumn("type").AddColumn("value");
                foreach (var (key, value) in file.Metadata)
                    meta.AddRow(Markup.Escape(key), Markup.Escape(value.IsArray ? $"{value.ElementType}[]" : value.Type.ToString()), Markup.Escape(Shorten(Summarize(value))));
                console.Write(meta);
                if (file.Tensors.Count == 0) return;
                var table = new Table().AddColumn("tensor").AddColumn("type").AddColumn("shape (ne0 first)").AddColumn(new TableColumn("bytes").RightAligned());
                foreach (var t in file.Tensors)
                    table.AddRow(Markup.Escape(t.Name), t.Type.ToString(), string.Join(" x ", t.Dimensions), t.ByteSize.ToString("N0"));
                console.Write(table);
            });
            return 0;
        });
        return command;
    }

    private static Command Tokenize()
    {
        var model = new Argument<string>("MODEL") { Description = "GGUF file whose tokenizer to use (a vocab-only GGUF is enough)" };
        var text = new Argument<string>("TEXT") { Description = "Text to tokenize" };
        var noSpecial = new Option<bool>("--no-special") { Description = "Do not add BOS/EOS as the tokenizer would" };
        var parseSpecial = new Option<bool>("--parse-special") { Description = "Turn control-token texts such as <|im_start|> into their tokens" };
        var json = CommandOutput.JsonOption();
        var command = new Command("tokenize", "Show the token ids and pieces of a text") { model, text, noSpecial, parseSpecial, json };
        command.SetAction(parse =>
        {
            var output = CommandOutput.For(parse, json);
            using var vocabulary = LlmModel.LoadVocabulary(parse.GetValue(model)!);
            var input = parse.GetValue(text)!;
            var ids = vocabulary.Tokenize(input, addSpecial: !parse.GetValue(noSpecial), parseSpecial: parse.GetValue(parseSpecial));
            var pieces = ids.Select(id => new TokenRow(id, vocabulary.TokenPiece(id), vocabulary.Detokenize([id]))).ToArray();
            output.Result(new TokenizeDocument(ids.Length, ids, pieces), console =>
            {
                console.MarkupLineInterpolated($"{ids.Length} tokens");
                var table = new Table().AddColumn(new TableColumn("id").RightAligned()).AddColumn("token").AddColumn("text");
                foreach (var p in pieces)
                    table.AddRow(p.Id.ToString(), Markup.Escape(p.Token), Markup.Escape(Visible(p.Text)));
                console.Write(table);
            });
            return 0;
        });
        return command;
    }

    private static Command MakeRandom()
    {
        var outPath = new Argument<string>("OUT") { Description = "GGUF file to write" };
        var arch = new Option<string>("--arch") { Description = "Architecture: " + string.Join(", ", RandomModel.Architectures), Required = true };
        var shape = new Option<string>("--shape")
        {
            Description = "Preset (" + string.Join(", ", ModelShape.Presets.Keys) + ") or n_embd,n_layer,n_head,n_head_kv,n_ff[,head_dim]",
            Required = true,
        };
        var type = new Option<string>("--type") { Description = "Weight type of the matrices: f32, f16, q8_0, q4_0", DefaultValueFactory = _ => "q8_0" };
        var vocabFrom = new Option<string>("--vocab-from") { Description = "GGUF whose tokenizer.* metadata to copy", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same file)", DefaultValueFactory = _ => 1 };
        var json = CommandOutput.JsonOption();
        var command = new Command("make-random", "Write a model of a real architecture and shape with random weights and a real tokenizer")
        {
            outPath, arch, shape, type, vocabFrom, seed, json,
        };
        command.SetAction((parse, ct) =>
        {
            var output = CommandOutput.For(parse, json);
            var shapeText = parse.GetValue(shape)!;
            var modelShape = ModelShape.Parse(shapeText);
            var weightType = parse.GetValue(type)!.ToLowerInvariant() switch
            {
                "f32" => GgmlType.F32,
                "f16" => GgmlType.F16,
                "q8_0" => GgmlType.Q8_0,
                "q4_0" => GgmlType.Q4_0,
                var other => throw new ArgumentException($"--type '{other}' is not one of f32, f16, q8_0, q4_0"),
            };
            var architecture = parse.GetValue(arch)!;
            var path = parse.GetValue(outPath)!;
            using var vocabulary = GgufFile.Open(parse.GetValue(vocabFrom)!);
            var clock = Stopwatch.StartNew();
            output.Err.Progress().Start(progressContext =>
            {
                var task = progressContext.AddTask($"writing {Path.GetFileName(path)}", maxValue: 1.0);
                var progress = new Progress<double>(fraction => task.Value = fraction);
                RandomModel.Write(path, architecture, shapeText, modelShape, weightType, vocabulary, parse.GetValue(seed), progress, ct);
                task.Value = 1.0;
                output.EndProgress(task);
            });
            var vocabSize = vocabulary.GetStringArray("tokenizer.ggml.tokens")!.Length;
            var parameters = RandomModel.Plan(architecture, modelShape, vocabSize).Sum(t => t.Elements);
            var document = new MakeRandomDocument(Path.GetFullPath(path), architecture, modelShape.ToString(), weightType.ToString(),
                vocabSize, parameters, new FileInfo(path).Length, Math.Round(clock.Elapsed.TotalSeconds, 2));
            output.Result(document, console => console.MarkupLineInterpolated(
                $"wrote [bold]{path}[/]: {architecture}, {modelShape}, {weightType}, vocab {vocabSize:N0}, {parameters:N0} parameters, {document.Bytes:N0} bytes in {document.Seconds} s"));
            return Task.FromResult(0);
        });
        return command;
    }

    private static string Visible(string text) => text.Replace("\n", "\\n").Replace("\t", "\\t").Replace("\r", "\\r");

    /// <summary>Scalars as they are; arrays by their length and first elements (vocabularies are 150k entries long).</summary>
    private static string Summarize(GgufValue value)
    {
        if (!value.IsArray) return value.ToString();
        var array = (Array)value.Value;
        var head = array.Cast<object>().Take(8).Select(x => x is GgufValue nested ? Summarize(nested) : Convert.ToString(x, System.Globalization.CultureInfo.InvariantCulture));
        return $"[{array.Length}] " + string.Join(", ", head) + (array.Length > 8 ? ", ..." : "");
    }

    private static string Shorten(string s) => s.Length <= 100 ? s.ReplaceLineEndings("⏎") : s[..100].ReplaceLineEndings("⏎") + "…";

    private sealed record TokenRow(int Id, string Token, string Text);

    private sealed record TokenizeDocument(int Count, int[] Ids, TokenRow[] Tokens);

    private sealed record MakeRandomDocument(
        string Path, string Architecture, string Shape, string Type, int VocabSize, long Parameters, long Bytes, double Seconds);

    private sealed record TensorRow(string Name, string Type, long[] Shape, long Offset, long Bytes);

    private sealed record InfoDocument(
        string Path, long FileSize, int Version, string Architecture, int Alignment, long DataStart, int TensorCount,
        long Parameters, string Backend, Dictionary<string, string> Metadata, TensorRow[] Tensors);
}
