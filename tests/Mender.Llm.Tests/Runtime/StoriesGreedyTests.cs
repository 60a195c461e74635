using System.Text;
using Mender.Llm.Generation;
using Mender.Llm.Runtime;

namespace Mender.Llm.Tests.Runtime;

/// <summary>
/// stories260K (a real tiny llama, F32) greedily decoded from BOS for 200 positions through our generator on llama.cpp
/// reproduces llama2.c's output byte for byte (the leading space of the first piece aside).
/// </summary>
public sealed class StoriesGreedyTests
{
    public const string Model = "models/tiny/stories260K.gguf";

    [SharedFact]
    public async Task Greedy200TokensMatchLlama2cByteForByte()
    {
        using var model = LlmModel.Load(SharedData.PathOf(Model), new LlmModelOptions { Threads = 2 });
        using var generator = new BatchGenerator(model, contextLength: 256);
        var bos = model.Tokenize("", addSpecial: true);
        Assert.Single(bos);
        var result = await generator.GenerateAsync(bos, new GenerationOptions { MaxTokens = 200, Sampling = SamplingOptions.Greedy });

        var expected = File.ReadAllText(SharedData.PathOf("models/tiny/greedy_200.txt"), Encoding.UTF8);
        Assert.Equal(expected.TrimStart().TrimEnd('\n'), result.Text.TrimStart());
    }

    [SharedFact]
    public async Task APromptReadInChunksContinuesAsDecodingWould()
    {
        using var model = LlmModel.Load(SharedData.PathOf(Model), new LlmModelOptions { Threads = 2, BatchSize = 16 });
        using var generator = new BatchGenerator(model, contextLength: 256);
        var greedy = new GenerationOptions { MaxTokens = 60, Sampling = SamplingOptions.Greedy };
        var first = await generator.GenerateAsync(model.Tokenize("", addSpecial: true), greedy);

        // The first 40 generated tokens as a prompt (read in chunks of 16) lead to the same next tokens.
        var prompt = model.Tokenize("", addSpecial: true).Concat(first.Tokens.Take(40)).ToArray();
        using var fresh = new BatchGenerator(model, contextLength: 256);
        var continued = await fresh.GenerateAsync(prompt, greedy with { MaxTokens = 20 });
        Assert.Equal(first.Tokens.Skip(40).Take(20), continued.Tokens);
    }
}
