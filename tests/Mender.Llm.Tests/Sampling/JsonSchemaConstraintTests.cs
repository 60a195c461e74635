using System.Text;
using Mender.Llm.Gguf;
using Mender.Llm.Sampling;
using Mender.Llm.Tokenizers;
using Mender.Llm.Tests.Tokenizers;
using Mender.TestSupport;
using Xunit;

namespace Mender.Llm.Tests.Sampling;

public sealed class JsonSchemaConstraintTests
{
    internal const string PreferencesSchema = """
        {"type":"object","properties":{"preferences":{"type":"array","items":{"type":"string"},"minItems":1,"maxItems":4},
         "sentiment":{"enum":["positive","negative","mixed"]},"score":{"type":"number"},"tags":{"type":"array","items":{"type":"integer"}},
         "verified":{"type":["boolean","null"]}},"required":["preferences","sentiment"]}
        """;

    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);

    private static Tokenizer Stories()
    {
        using var file = GgufFile.Open(SharedData.PathOf("models/tiny/stories260K.gguf"));
        return Tokenizer.FromGguf(file);
    }

    /// <summary>Generates under the constraint with random logits; returns the text and the tokens used.</summary>
    internal static (string Text, int Tokens) Generate(Tokenizer tokenizer, string schema, int maxTokens, int seed, float logitScale = 4f)
    {
        var table = TokenByteTable.For(tokenizer);
        var constraint = new JsonSchemaConstraint(JsonSchemaNode.Parse(schema), table);
        var sampler = new Sampler(tokenizer.VocabularySize, new SamplingOptions { Temperature = 1, TopK = 0, TopP = 1, MinP = 0, Seed = (ulong)seed });
        var rng = new Random(seed);
        var logits = new float[tokenizer.VocabularySize];
        var allowed = new ulong[(logits.Length + 63) / 64];
        var bytes = new List<byte>();
        var used = 0;
        while (used < maxTokens && !constraint.IsDone)
        {
            for (var i = 0; i < logits.Length; i++) logits[i] = (float)(rng.NextDouble() * 2 - 1) * logitScale;
            constraint.AllowedTokens(maxTokens - used, allowed);
            var token = sampler.Sample(logits, allowed);
            used++;
            if (tokenizer.IsEndOfGeneration(token)) break;
            constraint.Accept(token);
            bytes.AddRange(tokenizer.TokenBytes(token).ToArray());
        }
        Assert.True(constraint.IsComplete, $"incomplete after {used} tokens: {Encoding.UTF8.GetString(bytes.ToArray())}");
        return (Strict.GetString(bytes.ToArray()), used);
    }

    [SharedFact]
    public void RandomLogitsAlwaysGiveConformingJsonWithSentencePiece()
    {
        var tokenizer = Stories();
        for (var seed = 0; seed < 40; seed++)
        {
            var maxTokens = 40 + seed * 3;
            var (text, used) = Generate(tokenizer, PreferencesSchema, maxTokens, seed);
            Assert.True(used <= maxTokens);
            JsonSchemaCheck.AssertConforms(text, PreferencesSchema);
        }
    }

    [SharedFact]
    public void RandomLogitsAlwaysGiveConformingJsonWithByteLevelBpe()
    {
        var tokenizer = TokenizerVectorTests.Load("qwen2");
        for (var seed = 0; seed < 8; seed++)
        {
            var maxTokens = 40 + seed * 5;
            var (text, used) = Generate(tokenizer, PreferencesSchema, maxTokens, seed);
            Assert.True(used <= maxTokens);
            JsonSchemaCheck.AssertConforms(text, PreferencesSchema);
        }
    }

    [SharedFact]
    public void TheTightestBudgetStillCompletes()
    {
        // 40 bytes is the shortest conforming text; a budget of 40 single-byte tokens must do.
        var tokenizer = Stories();
        var (text, used) = Generate(tokenizer, PreferencesSchema, 40, seed: 3, logitScale: 10f);
        Assert.True(used <= 40);
        JsonSchemaCheck.AssertConforms(text, PreferencesSchema);
    }

    [SharedFact]
    public void EndOfGenerationOnlyOnceComplete()
    {
        var tokenizer = Stories();
        var constraint = new JsonSchemaConstraint(JsonSchemaNode.Parse("""{"type":"array","items":{"type":"integer"}}"""), TokenByteTable.For(tokenizer));
        var allowed = new ulong[8];
        constraint.AllowedTokens(100, allowed);
        var eos = tokenizer.Vocabulary.Eos;
        Assert.Equal(0UL, allowed[eos >> 6] & (1UL << eos));
        foreach (var c in "[1,2]")
            constraint.Accept(tokenizer.Vocabulary.ByteTokenId((byte)c));
        Assert.True(constraint.IsDone);
        constraint.AllowedTokens(100, allowed);
        Assert.NotEqual(0UL, allowed[eos >> 6] & (1UL << eos));
        Assert.Equal(1, allowed.Sum(w => System.Numerics.BitOperations.PopCount(w)));
    }
}
