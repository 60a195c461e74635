using Mender.Llm.Generation;
using Mender.Llm.Inference;
using Mender.Llm.Sampling;
using Mender.Llm.Tokenizers;
using Mender.TestSupport;
using Xunit;

namespace Mender.Llm.Tests.Generation;

public sealed class TextGeneratorTests
{
    private const string Stories = "models/tiny/stories260K.gguf";

    private static (LlmModel Model, Tokenizer Tokenizer) Load()
    {
        var model = LlmModel.Load(SharedData.PathOf(Stories), threads: 2);
        return (model, Tokenizer.FromGguf(model.File));
    }

    [SharedFact]
    public void GreedyFromBosReproducesLlama2c()
    {
        var (model, tokenizer) = Load();
        using var _ = model;
        using var session = model.CreateSession(contextLength: 256);
        var generator = new TextGenerator(session, tokenizer);
        var pieces = new List<string>();
        GenerationResult? result = null;
        foreach (var piece in generator.Stream([tokenizer.Vocabulary.Bos], new GenerationOptions { MaxTokens = 200, Sampling = SamplingOptions.Greedy }, r => result = r))
            pieces.Add(piece);

        var expected = File.ReadAllText(SharedData.PathOf("models/tiny/greedy_200.txt")).TrimEnd('\n');
        // llama2.c drops the space SentencePiece puts before the first word.
        Assert.Equal(expected, result!.Text.TrimStart(' '));
        Assert.Equal(result.Text, string.Concat(pieces));
        Assert.Equal(tokenizer.Decode(result.Tokens), result.Text.TrimStart(' '));
        Assert.True(pieces.Count > 50, "text is streamed piece by piece");
    }

    [SharedFact]
    public void StopStringsEndTheTextBeforeThem()
    {
        var (model, tokenizer) = Load();
        using var _ = model;
        using var session = model.CreateSession(contextLength: 256);
        var generator = new TextGenerator(session, tokenizer);
        var result = generator.Generate([tokenizer.Vocabulary.Bos],
            new GenerationOptions { MaxTokens = 200, Sampling = SamplingOptions.Greedy, StopStrings = ["Lily."] });
        Assert.Equal(" Once upon a time, there was a little girl named ", result.Text);
        Assert.Equal(FinishReason.Stop, result.FinishReason);
    }

    [SharedFact]
    public void SameSeedSameTextAndCachedPromptsGiveTheSameResult()
    {
        var (model, tokenizer) = Load();
        using var _ = model;
        using var session = model.CreateSession(contextLength: 256);
        var generator = new TextGenerator(session, tokenizer);
        var prompt = tokenizer.Encode("Once upon a time, there was a dog");
        var options = new GenerationOptions { MaxTokens = 40, Sampling = new SamplingOptions { Temperature = 0.9f, Seed = 123 } };
        var first = generator.Generate(prompt, options);
        // The second call reuses the cached prompt; a fresh session must agree with both.
        var second = generator.Generate(prompt, options);
        using var other = model.CreateSession(contextLength: 256);
        var third = new TextGenerator(other, tokenizer).Generate(prompt, options);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Text, third.Text);
        Assert.Equal(FinishReason.Length, first.FinishReason);
        Assert.Equal(40, first.Tokens.Length);
        Assert.Equal(prompt.Length, first.PromptTokens);
    }

    [SharedFact]
    public void ConstrainedGenerationGivesSchemaJson()
    {
        var (model, tokenizer) = Load();
        using var _ = model;
        using var session = model.CreateSession(contextLength: 512);
        var generator = new TextGenerator(session, tokenizer);
        var schema = Tests.Sampling.JsonSchemaConstraintTests.PreferencesSchema;
        for (var seed = 0; seed < 5; seed++)
        {
            var constraint = new JsonSchemaConstraint(JsonSchemaNode.Parse(schema), TokenByteTable.For(tokenizer));
            var result = generator.Generate(tokenizer.Encode("Lily liked"),
                new GenerationOptions { MaxTokens = 80, Constraint = constraint, Sampling = new SamplingOptions { Temperature = 1.2f, Seed = (ulong)seed } });
            Tests.Sampling.JsonSchemaCheck.AssertConforms(result.Text, schema);
            Assert.Equal(FinishReason.Stop, result.FinishReason);
        }
    }

    [SharedFact]
    public void PromptsLongerThanTheContextAreRejected()
    {
        var (model, tokenizer) = Load();
        using var _ = model;
        using var session = model.CreateSession(contextLength: 16);
        var generator = new TextGenerator(session, tokenizer);
        Assert.Throws<ArgumentException>(() => generator.Generate(Enumerable.Repeat(5, 16).ToArray(), new GenerationOptions()));
    }
}

public sealed class StopStringFilterTests
{
    [Fact]
    public void HoldsBackPossibleStartsAndCutsAtTheStop()
    {
        var filter = new StopStringFilter(["</end>", "STOP"]);
        Assert.Equal("abc", filter.Push("abc<"));
        Assert.Equal("", filter.Push("/en"));
        Assert.Equal("</enx", filter.Push("x"));
        Assert.Equal("y ", filter.Push("y ST"));
        Assert.Equal("", filter.Push("OP and more"));
        Assert.True(filter.Stopped);
        Assert.Equal("", filter.Flush());
    }

    [Fact]
    public void FlushReleasesWhatWasHeld()
    {
        var filter = new StopStringFilter(["###"]);
        Assert.Equal("a", filter.Push("a##"));
        Assert.Equal("##", filter.Flush());
        Assert.Equal("plain", new StopStringFilter([]).Push("plain"));
    }
}
