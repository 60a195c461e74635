using Mender.Llm.Inference;
using Mender.TestSupport;
using Xunit;

namespace Mender.Llm.Tests.Inference;

/// <summary>The session API on a small reference model: batched decoding, sequence bookkeeping, outputs and errors.</summary>
public sealed class InferenceSessionTests
{
    private static LlmModel Load(string model = "qwen2-tiny-Q8_0") =>
        LlmModel.Load(SharedData.PathOf($"{ReferenceLogits.Folder}/{model}.gguf"), threads: 2);

    [SharedFact]
    public void Decoding_several_sequences_in_one_batch_matches_decoding_each_alone()
    {
        using var llm = Load();
        using var batched = llm.CreateSession(sequences: 3, contextLength: 64);
        using var single = llm.CreateSession(sequences: 1, contextLength: 64);
        var prompts = new[] { new[] { 1, 20, 30 }, new[] { 1, 400, 5, 6, 7 }, new[] { 1 } };
        var next = new int[3];
        for (var s = 0; s < 3; s++) next[s] = ArgMax(batched.Forward(prompts[s], s));

        var history = prompts.Select(p => p.ToList()).ToArray();
        for (var step = 0; step < 6; step++)
        {
            // Sequences join and leave the batch: all three, then only 2 and 0.
            int[] ids = step < 3 ? [0, 1, 2] : [2, 0];
            var tokens = ids.Select(s => next[s]).ToArray();
            batched.DecodeBatch(tokens, ids);
            for (var i = 0; i < ids.Length; i++)
            {
                var s = ids[i];
                history[s].Add(tokens[i]);
                single.ResetSequence(0);
                var expected = single.Forward(history[s].ToArray()).ToArray();
                var (l2, max) = ReferenceLogits.Compare(batched.BatchLogits(i), expected);
                Assert.True(l2 < 1e-5 && max < 1e-5, $"step {step}, sequence {s}: rel L2 {l2:e2}, max {max:e2}");
                next[s] = ArgMax(expected);
                Assert.Equal(history[s].Count, batched.Position(s));
            }
        }
    }

    [SharedFact]
    public void Hidden_states_and_all_logits_agree_with_the_last_position_logits()
    {
        using var llm = Load("llama-tiny-F32");
        using var session = llm.CreateSession(contextLength: 32, batchSize: 16);
        var tokens = ReferenceLogits.Sequence("S2");
        var last = session.Forward(tokens).ToArray();

        session.ResetSequence(0);
        var all = new float[tokens.Length * llm.Config.VocabSize];
        session.ForwardAllLogits(tokens, 0, all);
        var (l2, _) = ReferenceLogits.Compare(all.AsSpan((tokens.Length - 1) * llm.Config.VocabSize), last);
        Assert.True(l2 < 1e-6, $"last row of all logits vs last logits: {l2:e2}");

        session.ResetSequence(0);
        var hidden = new float[tokens.Length * llm.Config.EmbeddingLength];
        session.ForwardHidden(tokens, 0, hidden);
        var lastHidden = hidden.AsSpan((tokens.Length - 1) * llm.Config.EmbeddingLength, llm.Config.EmbeddingLength);
        var output = llm.Weights.Output;
        var row = new float[output.Columns];
        for (var id = 0; id < llm.Config.VocabSize; id += 97)
        {
            output.DequantizeRow(id, row);
            double logit = 0;
            for (var i = 0; i < row.Length; i++) logit += row[i] * (double)lastHidden[i];
            Assert.True(Math.Abs(logit - last[id]) < 1e-4, $"token {id}: hidden·output {logit} vs logit {last[id]}");
        }
    }

    [SharedFact]
    public void Truncating_a_sequence_replays_the_same_continuation()
    {
        using var llm = Load();
        using var session = llm.CreateSession(contextLength: 64);
        var first = session.Forward([1, 50, 60, 70]).ToArray();
        session.Forward([80, 90]);
        session.TruncateSequence(0, 4);
        Assert.Equal(4, session.Position(0));
        session.TruncateSequence(0, 3);
        var again = session.Forward([70]).ToArray();
        var (l2, _) = ReferenceLogits.Compare(again, first);
        Assert.True(l2 < 1e-6);
    }

    [SharedFact]
    public void Context_overflow_is_a_clear_error_that_leaves_the_sequence_intact()
    {
        using var llm = Load();
        using var session = llm.CreateSession(sequences: 2, contextLength: 8, batchSize: 4);
        session.Forward([1, 2, 3, 4, 5, 6]);
        var error = Assert.Throws<ArgumentException>(() => session.Forward([7, 8, 9]));
        Assert.Contains("context", error.Message);
        Assert.Contains("8", error.Message);
        Assert.Equal(6, session.Position(0));
        session.Forward([7, 8]);
        Assert.Throws<ArgumentException>(() => session.DecodeBatch([1, 2], [0, 1]));
        Assert.Equal(0, session.Position(1));
    }

    [SharedFact]
    public void Bad_arguments_are_rejected()
    {
        using var llm = Load();
        using var session = llm.CreateSession(sequences: 2, contextLength: 16);
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Forward([llm.Config.VocabSize]));
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Forward([-1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Forward([1], sequence: 2));
        Assert.Throws<ArgumentException>(() => session.Forward([]));
        Assert.Throws<ArgumentException>(() => session.DecodeBatch([1, 2], [1, 1]));
        Assert.Throws<ArgumentException>(() => session.DecodeBatch([1, 2], [0]));
        Assert.Equal(0, session.Position(0));
        Assert.Equal(0, session.Position(1));
    }

    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best]) best = i;
        return best;
    }
}
