using System.Diagnostics;

namespace Mender.Llm.Inference;

/// <summary>Prompt and decode speed of a model, measured like llama-bench (pp/tg) and llama-batched-bench.</summary>
internal static class ThroughputBenchmark
{
    public sealed record Settings(int PromptTokens, int DecodeTokens, int Sequences, int Repetitions);

    /// <summary>Tokens per second of each repetition.</summary>
    public sealed record Result(double[] Prompt, double[] Decode, long CacheBytes)
    {
        public double PromptMean => Prompt.Length == 0 ? 0 : Prompt.Average();
        public double DecodeMean => Decode.Length == 0 ? 0 : Decode.Average();
        public double PromptStdDev => StdDev(Prompt);
        public double DecodeStdDev => StdDev(Decode);

        /// <summary>The fastest repetition: on a shared machine the least disturbed one.</summary>
        public double PromptBest => Prompt.Length == 0 ? 0 : Prompt.Max();

        public double DecodeBest => Decode.Length == 0 ? 0 : Decode.Max();

        private static double StdDev(double[] x)
        {
            if (x.Length < 2) return 0;
            var mean = x.Average();
            return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1));
        }
    }

    /// <summary>
    /// Each repetition evaluates a random prompt of <see cref="Settings.PromptTokens"/> tokens in every sequence
    /// (aggregate prompt tokens/s), then decodes <see cref="Settings.DecodeTokens"/> tokens. With one sequence the
    /// decode starts from an empty context, as llama-bench's tg test does; with several, every sequence continues after
    /// its prompt and all advance together in one batch per step (aggregate tokens/s), as llama-batched-bench does.
    /// One untimed warm-up pass comes first.
    /// </summary>
    public static Result Run(LlmModel model, Settings settings, Action<string> progress, CancellationToken cancellation)
    {
        if (settings.PromptTokens < 0 || settings.DecodeTokens < 0 || settings.PromptTokens + settings.DecodeTokens == 0)
            throw new ArgumentException("need a prompt length or a decode length above zero");
        if (settings.Sequences < 1 || settings.Repetitions < 1)
            throw new ArgumentException("sequences and repetitions must be at least 1");
        var sequences = settings.Sequences;
        var context = settings.PromptTokens + settings.DecodeTokens + 1;
        var batch = Math.Max(sequences, Math.Clamp(settings.PromptTokens, 1, 512));
        using var session = model.CreateSession(sequences, context, batch);
        var random = new Random(42);
        var prompt = new int[Math.Max(1, settings.PromptTokens)];
        for (var i = 0; i < prompt.Length; i++) prompt[i] = random.Next(model.Config.VocabSize);

        progress("warm-up");
        RunOnce(session, prompt[..Math.Min(prompt.Length, 64)], Math.Min(settings.DecodeTokens, 4), sequences, cancellation);

        var promptRates = new List<double>();
        var decodeRates = new List<double>();
        for (var r = 0; r < settings.Repetitions; r++)
        {
            progress($"run {r + 1} of {settings.Repetitions}");
            var (promptSeconds, decodeSeconds) = RunOnce(session, settings.PromptTokens > 0 ? prompt : [], settings.DecodeTokens, sequences, cancellation);
            if (settings.PromptTokens > 0) promptRates.Add((double)sequences * settings.PromptTokens / promptSeconds);
            if (settings.DecodeTokens > 0) decodeRates.Add((double)sequences * settings.DecodeTokens / decodeSeconds);
        }
        return new Result(promptRates.ToArray(), decodeRates.ToArray(), session.CacheBytes);
    }

    private static (double Prompt, double Decode) RunOnce(InferenceSession session, int[] prompt, int decode, int sequences, CancellationToken cancellation)
    {
        var next = new int[sequences];
        var ids = new int[sequences];
        for (var s = 0; s < sequences; s++) ids[s] = s;

        var clock = Stopwatch.StartNew();
        for (var s = 0; s < sequences; s++)
        {
            cancellation.ThrowIfCancellationRequested();
            session.ResetSequence(s);
            if (prompt.Length > 0)
                next[s] = ArgMax(session.Forward(prompt, s));
        }
        var promptSeconds = clock.Elapsed.TotalSeconds;

        if (sequences == 1) session.ResetSequence(0);
        clock.Restart();
        for (var step = 0; step < decode; step++)
        {
            cancellation.ThrowIfCancellationRequested();
            if (sequences == 1)
            {
                next[0] = ArgMax(session.Forward(next.AsSpan(0, 1)));
                continue;
            }
            session.DecodeBatch(next, ids);
            for (var s = 0; s < sequences; s++) next[s] = ArgMax(session.BatchLogits(s));
        }
        return (promptSeconds, clock.Elapsed.TotalSeconds);
    }

    private static int ArgMax(ReadOnlySpan<float> logits) => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);
}
