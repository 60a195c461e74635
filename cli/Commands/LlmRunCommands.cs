using System.CommandLine;
using System.Globalization;
using Mender.Benchmark;
using Mender.Llm.Adapters;
using Mender.Llm.Generation;
using Mender.Llm.Runtime;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender llm generate|chat|logits|bench`: commands that run the model.</summary>
internal static class LlmRunCommands
{
    public static IEnumerable<Command> All()
    {
        yield return Generate();
        yield return Chat();
        yield return Logits();
        yield return Bench();
    }

    private static Command Generate()
    {
        var model = new Argument<string>("MODEL") { Description = "GGUF model file" };
        var prompt = new Option<string>("--prompt") { Description = "Text to continue (BOS is added as the model's metadata says)", Required = true };
        var greedy = new Option<bool>("--greedy") { Description = "Always take the most likely token" };
        var count = new Option<int>("-n", "--max-tokens") { Description = "Tokens to generate at most", DefaultValueFactory = _ => 128 };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of the sampler (same seed, same text)" };
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature", DefaultValueFactory = _ => 0.8f };
        var load = new LlmModelArguments();
        var json = CommandOutput.JsonOption();
        var command = new Command("generate", "Continue a prompt with a local GGUF model, streaming the text to stdout")
        {
            model, prompt, greedy, count, seed, temperature, json,
        };
        foreach (var option in load.All) command.Options.Add(option);
        command.SetAction(async (ParseResult parse, CancellationToken cancellation) =>
        {
            var output = CommandOutput.For(parse, json);
            var maxTokens = parse.GetValue(count);
            if (maxTokens < 1) throw new ArgumentException($"-n must be at least 1, got {maxTokens}");
            var sampling = parse.GetValue(greedy)
                ? SamplingOptions.Greedy
                : new SamplingOptions { Temperature = parse.GetValue(temperature), Seed = parse.GetValue(seed) };
            sampling.Validate();
            using var llm = LlmModel.Load(parse.GetValue(model)!, load.Read(parse));
            var promptIds = llm.Tokenize(parse.GetValue(prompt)!);
            if (promptIds.Length == 0) throw new ArgumentException("the prompt encodes to no tokens");
            if (promptIds.Length >= llm.TrainedContextLength) throw new PromptTooLongException(promptIds.Length, llm.TrainedContextLength);
            using var generator = new BatchGenerator(llm, 1, Math.Min(promptIds.Length + maxTokens + 1, llm.TrainedContextLength));
            var options = new GenerationOptions { MaxTokens = maxTokens, Sampling = sampling };

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = await generator.GenerateAsync(promptIds, options, piece =>
            {
                if (!output.Json) Console.Out.Write(piece);
            }, cancellation);
            var seconds = clock.Elapsed.TotalSeconds;
            var document = new GenerateDocument(parse.GetValue(prompt)!, result.Text, result.PromptTokens, result.Tokens.Length,
                result.FinishReason.ToString(), Math.Round(seconds, 3), result.Tokens);
            output.Result(document, _ => Console.Out.WriteLine());
            output.Debug($"{result.PromptTokens} prompt tokens, {result.Tokens.Length} generated in {seconds:F2} s ({result.FinishReason})");
            return 0;
        });
        return command;
    }

    private static Command Logits()
    {
        var model = new Argument<string>("MODEL") { Description = "GGUF model file" };
        var tokens = new Option<string>("--tokens") { Description = "Comma-separated token ids, evaluated as given (no BOS added)", Required = true };
        var all = new Option<bool>("--all") { Description = "Print the logits of every position (position-major), not only the last" };
        var load = new LlmModelArguments();
        var json = CommandOutput.JsonOption();
        var command = new Command("logits", "Print the logit vector after a token sequence, one float per line (for parity checks)")
        {
            model, tokens, all, json,
        };
        foreach (var option in load.All) command.Options.Add(option);
        command.SetAction(parse =>
        {
            var output = CommandOutput.For(parse, json);
            var ids = ParseTokens(parse.GetValue(tokens)!);
            using var llm = LlmModel.Load(parse.GetValue(model)!, load.Read(parse) with { Float32KvCache = true });
            var logits = llm.EvaluateLogits(ids, parse.GetValue(all));
            var document = new LogitsDocument(ids, llm.VocabularySize, parse.GetValue(all) ? ids.Length : 1, logits);
            output.Result(document, _ =>
            {
                using var writer = new StreamWriter(Console.OpenStandardOutput(), bufferSize: 1 << 16);
                foreach (var v in logits) writer.WriteLine(v.ToString("G9", CultureInfo.InvariantCulture));
            });
            return 0;
        });
        return command;
    }

    private static Command Bench()
    {
        var model = new Argument<string>("MODEL") { Description = "GGUF model file" };
        var prompt = new Option<int>("--prompt-tokens", "-p") { Description = "Prompt length (pp test)", DefaultValueFactory = _ => 512 };
        var decode = new Option<int>("--decode-tokens", "-n") { Description = "Tokens to decode (tg test)", DefaultValueFactory = _ => 64 };
        var batch = new Option<int>("--batch", "-b")
        {
            Description = "Sequences decoded together; above 1 every sequence gets the prompt and decode speed is the aggregate",
            DefaultValueFactory = _ => 1,
        };
        var repetitions = new Option<int>("--repetitions", "-r") { Description = "Timed runs (after one warm-up)", DefaultValueFactory = _ => 3 };
        var load = new LlmModelArguments();
        var json = CommandOutput.JsonOption();
        var command = new Command("bench", "Measure prompt and decode tokens/s through Mender's generator against a raw LLamaSharp loop, like llama-bench")
        {
            model, prompt, decode, batch, repetitions, json,
        };
        foreach (var option in load.All) command.Options.Add(option);
        command.SetAction((ParseResult parse, CancellationToken cancellation) =>
        {
            var output = CommandOutput.For(parse, json);
            var path = parse.GetValue(model)!;
            using var llm = LlmModel.Load(path, load.Read(parse));
            var settings = new LlmThroughputBenchmark.Settings(parse.GetValue(prompt), parse.GetValue(decode), parse.GetValue(batch), parse.GetValue(repetitions));
            var result = LlmThroughputBenchmark.Run(llm, settings, message => output.Debug(message), cancellation);
            var (ours, raw) = (result.Ours, result.Raw);
            var fileMb = new FileInfo(path).Length / (1024.0 * 1024.0);
            var document = new BenchDocument(
                Path.GetFileName(path), llm.Architecture, llm.WeightTypes, llm.Options.ResolvedThreads, settings.PromptTokens, settings.DecodeTokens,
                settings.Sequences, settings.Repetitions, Math.Round(ours.PromptMean, 2), Math.Round(ours.PromptBest, 2),
                Math.Round(ours.DecodeMean, 2), Math.Round(ours.DecodeBest, 2), Math.Round(raw.PromptBest, 2), Math.Round(raw.DecodeBest, 2),
                Math.Round(result.PromptRatio, 3), Math.Round(result.DecodeRatio, 3),
                Math.Round(ProcessMemory.PeakResidentMb(), 1), Math.Round(fileMb, 1), LlmBackend.Describe());
            output.Result(document, console =>
            {
                var table = new Table().AddColumn("model").AddColumn("weights").AddColumn("threads").AddColumn("test")
                    .AddColumn(new TableColumn("ours tok/s (best)").RightAligned()).AddColumn(new TableColumn("raw LLamaSharp tok/s (best)").RightAligned())
                    .AddColumn(new TableColumn("ours / raw").RightAligned());
                var seqs = settings.Sequences > 1 ? $" x{settings.Sequences} seq" : "";
                table.AddRow(Markup.Escape(document.Model), document.Weights, document.Threads.ToString(), $"pp{settings.PromptTokens}{seqs}",
                    $"{ours.PromptBest:F2}", $"{raw.PromptBest:F2}", $"{result.PromptRatio:F3}");
                table.AddRow(Markup.Escape(document.Model), document.Weights, document.Threads.ToString(), $"tg{settings.DecodeTokens}{seqs}",
                    $"{ours.DecodeBest:F2}", $"{raw.DecodeBest:F2}", $"{result.DecodeRatio:F3}");
                console.Write(table);
                console.MarkupLineInterpolated($"peak RSS {document.PeakRssMb:F0} MB (file {fileMb:F0} MB), llama.cpp {document.Backend}");
            });
            return Task.FromResult(0);
        });
        return command;
    }

    private static int[] ParseTokens(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new ArgumentException("--tokens lists no token ids");
        return parts.Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) && id >= 0
            ? id
            : throw new FormatException($"--tokens: '{p}' is not a token id")).ToArray();
    }

    private sealed record GenerateDocument(
        string Prompt, string Text, int PromptTokens, int GeneratedTokens, string FinishReason, double Seconds, int[] Tokens);

    private sealed record LogitsDocument(int[] Tokens, int VocabSize, int Positions, float[] Logits);

    private sealed record BenchDocument(
        string Model, string Architecture, string Weights, int Threads, int PromptTokens, int DecodeTokens, int Sequences, int Repetitions,
        [property: System.Text.Json.Serialization.JsonPropertyName("prompt_tok_s")] double PromptTokS,
        [property: System.Text.Json.Serialization.JsonPropertyName("prompt_tok_s_best")] double PromptTokBest,
        [property: System.Text.Json.Serialization.JsonPropertyName("decode_tok_s")] double DecodeTokS,
        [property: System.Text.Json.Serialization.JsonPropertyName("decode_tok_s_best")] double DecodeTokBest,
        [property: System.Text.Json.Serialization.JsonPropertyName("raw_prompt_tok_s_best")] double RawPromptTokBest,
        [property: System.Text.Json.Serialization.JsonPropertyName("raw_decode_tok_s_best")] double RawDecodeTokBest,
        double PromptRatio,
        double DecodeRatio,
        [property: System.Text.Json.Serialization.JsonPropertyName("peak_rss_mb")] double PeakRssMb,
        [property: System.Text.Json.Serialization.JsonPropertyName("file_mb")] double FileMb,
        string Backend);

    private static Command Chat()
    {
        var model = new Argument<string>("MODEL") { Description = "GGUF chat model file" };
        var prompt = new Option<string?>("--prompt") { Description = "Ask one question and exit (otherwise: interactive, /reset clears, /exit or Ctrl+D ends)" };
        var system = new Option<string?>("--system") { Description = "System message" };
        var template = new Option<string?>("--template") { Description = "Chat template llama.cpp knows by name (chatml, llama3, mistral-v7, phi3, gemma, ...) or completion (default: the model's own)" };
        var count = new Option<int>("-n", "--max-tokens") { Description = "Answer length at most, in tokens", DefaultValueFactory = _ => 512 };
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature (0: greedy)", DefaultValueFactory = _ => 0.7f };
        var seed = new Option<long?>("--seed") { Description = "Seed of the sampler (same seed, same answer)" };
        var schemaFile = new Option<string?>("--json-schema") { Description = "File with a JSON schema the answer must follow" };
        var context = new Option<int>("--context") { Description = "Context length in tokens (0: the model's, at most 4096)", DefaultValueFactory = _ => 0 };
        var load = new LlmModelArguments();
        var json = CommandOutput.JsonOption();
        var command = new Command("chat", "Chat with a local GGUF model (interactive, or one question with --prompt)")
        {
            model, prompt, system, template, count, temperature, seed, schemaFile, context, json,
        };
        foreach (var option in load.All) command.Options.Add(option);
        command.SetAction(async (ParseResult parse, CancellationToken cancellation) =>
        {
            var output = CommandOutput.For(parse, json);
            var maxTokens = parse.GetValue(count);
            if (maxTokens < 1) throw new ArgumentException($"-n must be at least 1, got {maxTokens}");
            ChatResponseFormat? format = null;
            if (parse.GetValue(schemaFile) is { } schemaPath)
            {
                if (!File.Exists(schemaPath)) throw new FileNotFoundException($"JSON schema file '{schemaPath}' not found", schemaPath);
                using var schemaDocument = System.Text.Json.JsonDocument.Parse(File.ReadAllText(schemaPath));
                format = ChatResponseFormat.ForJsonSchema(schemaDocument.RootElement.Clone());
            }
            // Checked before the model loads, by the same rule the generator applies.
            new SamplingOptions { Temperature = parse.GetValue(temperature) }.Validate();
            using var client = LocalChatClient.Open(parse.GetValue(model)!, new LocalChatClientOptions
            {
                ContextLength = parse.GetValue(context),
                Template = parse.GetValue(template),
                Model = load.Read(parse),
            });
            var options = new ChatOptions
            {
                Temperature = parse.GetValue(temperature),
                Seed = parse.GetValue(seed),
                MaxOutputTokens = maxTokens,
                ResponseFormat = format,
            };
            var history = new List<ChatMessage>();
            if (parse.GetValue(system) is { } systemText)
                history.Add(new(ChatRole.System, systemText));
            output.Debug($"template {client.Template.Name}, model {client.ModelId}");

            if (parse.GetValue(prompt) is { } question)
            {
                history.Add(new(ChatRole.User, question));
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var (answer, finish, usage) = await Answer(client, history, options, echo: !output.Json, cancellation);
                var document = new ChatDocument(answer, finish, usage?.InputTokenCount ?? 0, usage?.OutputTokenCount ?? 0,
                    Math.Round(clock.Elapsed.TotalSeconds, 3), client.Template.Name);
                output.Result(document, _ => Console.Out.WriteLine());
                return 0;
            }

            output.Err.MarkupLineInterpolated($"[grey]{client.ModelId} ({client.Template.Name} template). /reset clears the conversation, /exit or Ctrl+D ends.[/]");
            var systemCount = history.Count;
            while (!cancellation.IsCancellationRequested)
            {
                output.Err.Markup("[bold]> [/]");
                var line = Console.In.ReadLine();
                if (line is null || line.Trim() == "/exit") break;
                if (line.Trim() == "/reset")
                {
                    history.RemoveRange(systemCount, history.Count - systemCount);
                    continue;
                }
                if (line.Trim().Length == 0) continue;
                history.Add(new(ChatRole.User, line));
                var (answer, _, _) = await Answer(client, history, options, echo: true, cancellation);
                Console.Out.WriteLine();
                history.Add(new(ChatRole.Assistant, answer));
            }
            return 0;
        });
        return command;
    }

    /// <summary>Streams one answer (echoed to stdout if asked) and returns it with its finish reason and token counts.</summary>
    private static async Task<(string Text, string? Finish, UsageDetails? Usage)> Answer(
        LocalChatClient client, List<ChatMessage> history,
        ChatOptions options, bool echo, CancellationToken cancellation)
    {
        var text = new System.Text.StringBuilder();
        string? finish = null;
        UsageDetails? usage = null;
        await foreach (var update in client.GetStreamingResponseAsync(history, options, cancellation))
        {
            var piece = update.Text;
            text.Append(piece);
            if (echo && piece.Length > 0) Console.Out.Write(piece);
            finish ??= update.FinishReason?.Value;
            usage ??= update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details;
        }
        return (text.ToString(), finish, usage);
    }

    private sealed record ChatDocument(string Text, string? FinishReason, long PromptTokens, long OutputTokens, double Seconds, string Template);
}
