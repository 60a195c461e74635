using Mender.Llm.Generation;
using Mender.Llm.Inference;
using Mender.Llm.Sampling;
using Mender.Llm.Tests.Sampling;
using Mender.Llm.Tokenizers;
using Mender.TestSupport;
using Xunit;

namespace Mender.Llm.Tests.Generation;

public sealed class BatchGeneratorTests
{
    private static readonly string[] Prompts =
    [
        "Once upon a time", "Lily and Ben went to the park", "The cat", "Tom had a big red ball. He", "One day, a little bird",
    ];

    private static (LlmModel Model, Tokenizer Tokenizer) Load()
    {
        var model = LlmModel.Load(SharedData.PathOf("models/tiny/stories260K.gguf"), threads: 2);
        return (model, Tokenizer.FromGguf(model.File));
    }

    [SharedFact]
    public async Task ConcurrentRequestsGiveWhatEachGivesAlone()
    {
        var (model, tokenizer) = Load();
        using var _ = model;
        var options = new GenerationOptions { MaxTokens = 24, Sampling = new SamplingOptions { Temperature = 0.7f, Seed = 17 } };

        using var session = model.CreateSession(contextLength: 128);
        var alone = Prompts.Select(p => new TextGenerator(session, tokenizer).Generate(tokenizer.Encode(p), options)).ToArray();

        // Five requests on two sequences: they are batched two at a time and queue for free sequences.
        using var batch = new BatchGenerator(model, tokenizer, sequences: 2, contextLength: 128);
        var streamed = Prompts.Select(_ => new System.Collections.Concurrent.ConcurrentQueue<string>()).ToArray();
        var together = await Task.WhenAll(Prompts.Select((p, i) => batch.GenerateAsync(tokenizer.Encode(p), options, streamed[i].Enqueue)));
        for (var i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(alone[i].Text, together[i].Text);
            Assert.Equal(alone[i].Tokens, together[i].Tokens);
            Assert.Equal(together[i].Text, string.Concat(streamed[i]));
        }
    }

    [SharedFact]
    public async Task BadAndCancelledRequestsFailAloneAndTheRestGoOn()
    {
        var (model, tokenizer) = Load();
        using var _ = model;
        using var batch = new BatchGenerator(model, tokenizer, sequences: 2, contextLength: 32);
        var tooLong = batch.GenerateAsync(Enumerable.Repeat(5, 40).ToArray(), new GenerationOptions());
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var dropped = batch.GenerateAsync(tokenizer.Encode("The cat"), new GenerationOptions(), null, cancelled.Token);
        var good = batch.GenerateAsync(tokenizer.Encode("The cat"), new GenerationOptions { MaxTokens = 40, Sampling = SamplingOptions.Greedy });

        await Assert.ThrowsAsync<ArgumentException>(() => tooLong);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dropped);
        var result = await good;
        // The context of 32 tokens caps the answer.
        Assert.Equal(32 - tokenizer.Encode("The cat").Length, result.Tokens.Length);
        Assert.Equal(FinishReason.Length, result.FinishReason);
    }

    [SharedFact]
    public async Task ConstrainedRequestsInOneBatchAllConform()
    {
        var (model, tokenizer) = Load();
        using var _ = model;
        using var batch = new BatchGenerator(model, tokenizer, sequences: 4, contextLength: 256);
        var schema = JsonSchemaConstraintTests.PreferencesSchema;
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(seed => batch.GenerateAsync(tokenizer.Encode(Prompts[seed]),
            new GenerationOptions
            {
                MaxTokens = 60 + seed * 10,
                Constraint = new JsonSchemaConstraint(JsonSchemaNode.Parse(schema), TokenByteTable.For(tokenizer)),
                Sampling = new SamplingOptions { Temperature = 1.3f, Seed = (ulong)seed },
            })));
        foreach (var r in results)
            JsonSchemaCheck.AssertConforms(r.Text, schema);
    }
}
