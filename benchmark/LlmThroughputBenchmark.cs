using System.Diagnostics;
using System.Numerics.Tensors;
using LLama;
using LLama.Native;
using Mender.Llm.Generation;
using Mender.Llm.Runtime;

namespace Mender.Benchmark;

/// <summary>
/// Prompt and decode speed of a model through our generation layer, measured against a raw LLamaSharp loop over
/// <c>LLamaContext.Decode</c> in the same run (alternating repetitions), so the report is the wrapper's overhead as a
/// ratio and not a figure that depends on how busy the machine was. Each repetition evaluates a random prompt of
/// <see cref="Settings.PromptTokens"/> tokens in every sequence (all of them batched together, up to the batch size per
/// evaluation), then decodes <see cref="Settings.DecodeTokens"/> tokens per sequence, all sequences in one batch per
/// step, taking the most likely token: llama-bench's pp/tg and llama-batched-bench's aggregate figures. Every run
/// has fresh random prompts, so nothing is reused from an earlier run's cache.
/// </summary>
public static class LlmThroughputBenchmark
{
    /// <summary>What to measure.</summary>
    /// <param name="PromptTokens">Length of each random prompt, in tokens.</param>
    /// <param name="DecodeTokens">Tokens decoded per sequence after the prompt.</param>
    /// <param name="Sequences">Sequences evaluated together in one batch.</param>
    /// <param name="Repetitions">Timed repetitions of each loop (after a warm-up).</param>
    public sealed record Settings(int PromptTokens, int DecodeTokens, int Sequences, int Repetitions);

    /// <summary>Tokens per second of each repetition.</summary>
    public sealed record Rates(double[] Prompt, double[] Decode)
    {
        /// <summary>The fastest repetition: on a shared machine the least disturbed one.</summary>
        public double PromptBest => Prompt.Length == 0 ? 0 : Prompt.Max();

        /// <summary>The fastest repetition's decode speed.</summary>
        public double DecodeBest => Decode.Length == 0 ? 0 : Decode.Max();

        /// <summary>The average prompt speed over the repetitions.</summary>
        public double PromptMean => Prompt.Length == 0 ? 0 : Prompt.Average();

        /// <summary>The average decode speed over the repetitions.</summary>
        public double DecodeMean => Decode.Length == 0 ? 0 : Decode.Average();
    }

    /// <summary>The speeds of both loops, measured in the same run.</summary>
    /// <param name="Ours">Through our generation layer.</param>
    /// <param name="Raw">Through the raw LLamaSharp loop.</param>
    public sealed record Result(Rates Ours, Rates Raw)
    {
        /// <summary>Our best prompt speed over the raw loop's best: 1 means no overhead.</summary>
        public double PromptRatio => Raw.PromptBest > 0 ? Ours.PromptBest / Raw.PromptBest : 0;

        /// <summary>Our best decode speed over the raw loop's best: 1 means no overhead.</summary>
        public double DecodeRatio => Raw.DecodeBest > 0 ? Ours.DecodeBest / Raw.DecodeBest : 0;
    }

    /// <summary>Warms up, then runs both loops alternately; settings out of range, or too long for the model's context, are an <see cref="ArgumentException"/>.</summary>
    /// <param name="model">The loaded model to measure.</param>
    /// <param name="settings">Prompt and decode lengths, sequences and repetitions.</param>
    /// <param name="progress">Told which repetition is running.</param>
    /// <param name="cancellation">Stops the run.</param>
    public static Result Run(LlmModel model, Settings settings, Action<string> progress, CancellationToken cancellation)
    {
        if (settings.PromptTokens < 1 || settings.DecodeTokens < 1)
            throw new ArgumentException("the prompt and decode lengths must be at least 1");
        if (settings.Sequences < 1 || settings.Repetitions < 1)
            throw new ArgumentException("sequences and repetitions must be at least 1");
        var perSequence = settings.PromptTokens + settings.DecodeTokens + 2;
        if (perSequence > model.TrainedContextLength)
            throw new ArgumentException($"{settings.PromptTokens} prompt and {settings.DecodeTokens} decoded tokens exceed the model's context of {model.TrainedContextLength}");
        var random = new Random(42);
        var ours = new Rates(new double[settings.Repetitions], new double[settings.Repetitions]);
        var raw = new Rates(new double[settings.Repetitions], new double[settings.Repetitions]);
        using var generator = new BatchGenerator(model, settings.Sequences, perSequence);
        using var context = model.Weights.CreateContext(model.ContextParameters(perSequence * settings.Sequences, settings.Sequences));

        progress("warm-up");
        RunRaw(context, Prompts(random, model, settings with { PromptTokens = Math.Min(settings.PromptTokens, 32) }), 2, model.Options.BatchSize, cancellation);
        RunOurs(generator, Prompts(random, model, settings with { PromptTokens = Math.Min(settings.PromptTokens, 32) }), 2, cancellation);
        for (var r = 0; r < settings.Repetitions; r++)
        {
            progress($"run {r + 1} of {settings.Repetitions}");
            (raw.Prompt[r], raw.Decode[r]) = RunRaw(context, Prompts(random, model, settings), settings.DecodeTokens, model.Options.BatchSize, cancellation);
            (ours.Prompt[r], ours.Decode[r]) = RunOurs(generator, Prompts(random, model, settings), settings.DecodeTokens, cancellation);
        }
        return new Result(ours, raw);
    }

    /// <summary>Distinct random prompts, so that no sequence reuses another's cache.</summary>
    private static int[][] Prompts(Random random, LlmModel model, Settings settings) =>
        Enumerable.Range(0, settings.Sequences).Select(_ => Enumerable.Range(0, settings.PromptTokens).Select(_ => random.Next(model.VocabularySize)).ToArray()).ToArray();

    /// <summary>
    /// The prompts are read with one answer token each (the prompt phase), then asked again for the decode phase: each
    /// request finds its prompt in its sequence's cache, re-evaluates the last prompt token and decodes on, so the
    /// decode phase makes as many batched evaluations as the raw loop's.
    /// </summary>
    private static (double Prompt, double Decode) RunOurs(BatchGenerator generator, int[][] prompts, int decode, CancellationToken cancellation)
    {
        var greedy = new GenerationOptions { MaxTokens = 1, Sampling = SamplingOptions.Greedy, StopAtEndOfGeneration = false };
        var clock = Stopwatch.StartNew();
        Task.WhenAll(prompts.Select(p => generator.GenerateAsync(p, greedy, null, cancellation))).GetAwaiter().GetResult();
        var promptSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        Task.WhenAll(prompts.Select(p => generator.GenerateAsync(p, greedy with { MaxTokens = decode }, null, cancellation))).GetAwaiter().GetResult();
        return (prompts.Sum(p => p.Length) / promptSeconds, (double)prompts.Length * decode / clock.Elapsed.TotalSeconds);
    }

    private static (double Prompt, double Decode) RunRaw(LLamaContext context, int[][] prompts, int decode, int batchSize, CancellationToken cancellation)
    {
        var handle = context.NativeHandle;
        handle.MemoryClear(true);
        var batch = new LLamaBatch();
        var next = new int[prompts.Length];
        var clock = Stopwatch.StartNew();
        var pending = prompts.SelectMany((p, s) => p.Select((token, position) => (Token: token, Position: position, Sequence: s))).ToList();
        for (var start = 0; start < pending.Count; start += batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            batch.Clear();
            var lasts = new List<(int Sequence, int Index)>();
            foreach (var (token, position, sequence) in pending.Skip(start).Take(batchSize))
            {
                var last = position == prompts[sequence].Length - 1;
                var index = batch.Add(token, position, (LLamaSeqId)sequence, last);
                if (last) lasts.Add((sequence, index));
            }
            Check(handle.Decode(batch));
            foreach (var (sequence, index) in lasts) next[sequence] = TensorPrimitives.IndexOfMax(handle.GetLogitsIth(index));
        }
        var promptSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        for (var step = 0; step < decode; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            batch.Clear();
            for (var s = 0; s < prompts.Length; s++) batch.Add(next[s], prompts[s].Length + step, (LLamaSeqId)s, true);
            Check(handle.Decode(batch));
            for (var s = 0; s < prompts.Length; s++) next[s] = TensorPrimitives.IndexOfMax(handle.GetLogitsIth(s));
        }
        return (pending.Count / promptSeconds, (double)prompts.Length * decode / clock.Elapsed.TotalSeconds);
    }

    private static void Check(DecodeResult result)
    {
        if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp could not evaluate the batch ({result})");
    }
}
