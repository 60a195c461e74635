using System.Text;
using Mender.Llm.Inference;
using Mender.Llm.Tokenizers;
using Mender.TestSupport;
using Xunit;

namespace Mender.Llm.Tests.Inference;

/// <summary>
/// stories260K (a real tiny llama, F32) greedily decoded from BOS for 200 positions reproduces llama2.c's output byte
/// for byte, both feeding one token at a time and after re-evaluating the generated prefix as one batch.
/// </summary>
public sealed class StoriesGreedyTests
{
    private const string Model = "models/tiny/stories260K.gguf";

    [SharedFact]
    public void Greedy_200_tokens_match_llama2c_byte_for_byte()
    {
        using var llm = LlmModel.Load(SharedData.PathOf(Model), threads: 2);
        using var session = llm.CreateSession(contextLength: 256);
        var tokenizer = Tokenizer.FromGguf(llm.File);
        var bos = tokenizer.Vocabulary.Bos;

        var generated = new List<int>();
        var token = bos;
        for (var pos = 0; pos < 200; pos++)
        {
            token = ArgMax(session.Forward([token]));
            if (token == bos) break;
            generated.Add(token);
        }

        var expected = File.ReadAllBytes(SharedData.PathOf("models/tiny/greedy_200.txt"));
        var actual = Encoding.UTF8.GetBytes(tokenizer.Decode(generated.ToArray()) + "\n");
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
        Assert.Equal(expected, actual);
    }

    [SharedFact]
    public void Batched_prompt_and_stepwise_decoding_agree_on_the_next_tokens()
    {
        using var llm = LlmModel.Load(SharedData.PathOf(Model), threads: 2);
        using var session = llm.CreateSession(contextLength: 256, batchSize: 64);
        var bos = Tokenizer.FromGguf(llm.File).Vocabulary.Bos;
        var tokens = new List<int> { bos };
        for (var i = 0; i < 100; i++)
            tokens.Add(ArgMax(session.Forward([tokens[^1]])));

        // 100 tokens in batches of 64: one tiled batch and one partial batch, then greedy decoding continues.
        session.ResetSequence(0);
        var next = ArgMax(session.Forward(tokens.Take(100).ToArray()));
        Assert.Equal(tokens[100], next);
    }

    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
            if (logits[i] > logits[best]) best = i;
        return best;
    }
}
