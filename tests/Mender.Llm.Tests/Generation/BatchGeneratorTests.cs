using Mender.Llm.Generation;
using Mender.Llm.Runtime;
using Mender.Llm.Tests.Runtime;

namespace Mender.Llm.Tests.Generation;

public sealed class BatchGeneratorTests
{
    private static readonly string[] Prompts =
    [
        "Once upon a time", "Lily and Ben went to the park", "The cat", "Tom had a big red ball. He", "One day, a little bird",
    ];

    private static LlmModel Load() => LlmModel.Load(SharedData.PathOf(StoriesGreedyTests.Model), new LlmModelOptions { Threads = 2 });

    [SharedFact]
    public async Task ConcurrentRequestsGiveWhatEachGivesAlone()
    {
        using var model = Load();
        var options = new GenerationOptions { MaxTokens = 24, Sampling = SamplingOptions.Greedy };
        using var single = new BatchGenerator(model, sequences: 1, contextLength: 128);
        var alone = new List<GenerationResult>();
        foreach (var p in Prompts) alone.Add(await single.GenerateAsync(model.Tokenize(p), options));

        // Five requests on two sequences: they are batched two at a time and queue for free sequences.
        using var batch = new BatchGenerator(model, sequences: 2, contextLength: 128);
        var streamed = Prompts.Select(_ => new System.Collections.Concurrent.ConcurrentQueue<string>()).ToArray();
        var together = await Task.WhenAll(Prompts.Select((p, i) => batch.GenerateAsync(model.Tokenize(p), options, streamed[i].Enqueue)));
        for (var i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(alone[i].Tokens, together[i].Tokens);
            Assert.Equal(alone[i].Text, together[i].Text);
            Assert.Equal(together[i].Text, string.Concat(streamed[i]));
        }
    }

    [SharedFact]
    public async Task ASharedPrefixIsEvaluatedOnceAndChangesNothing()
    {
        using var model = Load();
        var prefix = "Once upon a time, there was a little girl named Lily. She loved to play outside in the sun. One day,";
        var options = new GenerationOptions { MaxTokens = 16, Sampling = SamplingOptions.Greedy };
        using var cold = new BatchGenerator(model, sequences: 1, contextLength: 256);
        var expected = await cold.GenerateAsync(model.Tokenize(prefix + " she saw a dog"), options);

        using var warm = new BatchGenerator(model, sequences: 3, contextLength: 256);
        var first = await warm.GenerateAsync(model.Tokenize(prefix + " she went"), options);
        var second = await warm.GenerateAsync(model.Tokenize(prefix + " she saw a dog"), options);
        Assert.Equal(0, first.CachedPromptTokens);
        Assert.True(second.CachedPromptTokens >= model.Tokenize(prefix).Length - 1, $"{second.CachedPromptTokens} prompt tokens reused");
        Assert.Equal(expected.Tokens, second.Tokens);
    }

    [SharedFact]
    public async Task APromptStartedWithItsOwnPrefixWaitsForThoseCellsAndChangesNothing()
    {
        using var model = Load();
        var prefix = "Once upon a time, there was a little girl named Lily. She loved to play outside in the sun. One day,";
        var options = new GenerationOptions { MaxTokens = 16, Sampling = SamplingOptions.Greedy };
        using var cold = new BatchGenerator(model, sequences: 1, contextLength: 256);
        var expected = await cold.GenerateAsync(model.Tokenize(prefix + " she saw a dog"), options);

        // Submitted together, the grown prompt cannot reuse cells that are already there: it takes them from the base.
        using var batch = new BatchGenerator(model, sequences: 2, contextLength: 256);
        var results = await Task.WhenAll(batch.GenerateAsync(model.Tokenize(prefix), options), batch.GenerateAsync(model.Tokenize(prefix + " she saw a dog"), options));
        Assert.Equal(0, results[0].CachedPromptTokens);
        Assert.True(results[1].CachedPromptTokens >= model.Tokenize(prefix).Length - 1, $"{results[1].CachedPromptTokens} prompt tokens reused");
        Assert.Equal(expected.Tokens, results[1].Tokens);
    }

    [SharedFact]
    public async Task BadAndCancelledRequestsFailAloneAndTheRestGoOn()
    {
        using var model = Load();
        using var batch = new BatchGenerator(model, sequences: 2, contextLength: 32);
        var tooLong = await Assert.ThrowsAsync<PromptTooLongException>(() => batch.GenerateAsync(Enumerable.Repeat(5, 40).ToArray(), new GenerationOptions()));
        Assert.Equal((40, 32), (tooLong.PromptTokens, tooLong.ContextLength));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var dropped = batch.GenerateAsync(model.Tokenize("The cat"), new GenerationOptions(), null, cancelled.Token);
        var good = batch.GenerateAsync(model.Tokenize("The cat"), new GenerationOptions { MaxTokens = 40, Sampling = SamplingOptions.Greedy, StopAtEndOfGeneration = false });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dropped);
        var result = await good;
        // The context of 32 tokens caps the answer.
        Assert.Equal(32 - model.Tokenize("The cat").Length, result.Tokens.Length);
        Assert.Equal(FinishReason.Length, result.FinishReason);
    }

    [SharedFact]
    public async Task SamplingWithASeedIsRepeatable()
    {
        using var model = Load();
        using var batch = new BatchGenerator(model, sequences: 2, contextLength: 128);
        var options = new GenerationOptions { MaxTokens = 30, Sampling = new SamplingOptions { Temperature = 0.9f, Seed = 7 } };
        var a = await batch.GenerateAsync(model.Tokenize("The dog"), options);
        var b = await batch.GenerateAsync(model.Tokenize("The dog"), options);
        var c = await batch.GenerateAsync(model.Tokenize("The dog"), options with { Sampling = options.Sampling with { Seed = 8 } });
        Assert.Equal(a.Tokens, b.Tokens);
        Assert.NotEqual(a.Tokens, c.Tokens);
        await Assert.ThrowsAsync<ArgumentException>(() => batch.GenerateAsync(model.Tokenize("x"), options with { Sampling = new SamplingOptions { Temperature = -1 } }));
    }
}
