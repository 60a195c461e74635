using System.Numerics.Tensors;
using Mender.Llm.Adapters;
using Mender.TestSupport;
using Microsoft.Extensions.AI;
using Xunit;

namespace Mender.Llm.Tests.Adapters;

public sealed class LocalEmbeddingGeneratorTests
{
    private static LocalEmbeddingGenerator Open(EmbeddingPooling pooling) =>
        LocalEmbeddingGenerator.Open(SharedData.PathOf("models/tiny/stories260K.gguf"), pooling, contextLength: 128, threads: 2);

    [SharedFact]
    public async Task EmbeddingsAreNormalizedDeterministicAndDistinct()
    {
        using var generator = Open(EmbeddingPooling.Mean);
        var result = await generator.GenerateAsync(["The cat sat on the mat.", "The cat sat on the mat.", "A big red ball rolled away."]);
        Assert.Equal(3, result.Count);
        foreach (var e in result)
        {
            Assert.Equal(64, e.Vector.Length);
            Assert.Equal(1f, TensorPrimitives.Norm(e.Vector.Span), 4);
        }
        Assert.Equal(result[0].Vector.ToArray(), result[1].Vector.ToArray());
        var similarity = TensorPrimitives.CosineSimilarity(result[0].Vector.Span, result[2].Vector.Span);
        Assert.True(similarity < 0.9999f, $"different texts embed differently (cosine {similarity})");
        Assert.True(result.Usage!.InputTokenCount > 10);
    }

    [SharedFact]
    public async Task PoolingModesAndDimensionsDiffer()
    {
        using var mean = Open(EmbeddingPooling.Mean);
        using var last = Open(EmbeddingPooling.LastToken);
        var text = "Tim went to the park with his mom.";
        var a = (await mean.GenerateAsync([text]))[0].Vector.ToArray();
        var b = (await last.GenerateAsync([text]))[0].Vector.ToArray();
        Assert.NotEqual(a, b);

        var shortened = (await mean.GenerateAsync([text], new EmbeddingGenerationOptions { Dimensions = 16 }))[0].Vector.ToArray();
        Assert.Equal(16, shortened.Length);
        Assert.Equal(1f, TensorPrimitives.Norm(shortened), 4);
        var scale = TensorPrimitives.Norm(a.AsSpan(0, 16));
        for (var i = 0; i < 16; i++) Assert.Equal(a[i] / scale, shortened[i], 4);
        await Assert.ThrowsAsync<ArgumentException>(() => mean.GenerateAsync([text], new EmbeddingGenerationOptions { Dimensions = 65 }));
        Assert.Equal(64, mean.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
    }

    [SharedFact]
    public async Task MeanPoolingAveragesTheHiddenStates()
    {
        using var generator = Open(EmbeddingPooling.Mean);
        using var model = Mender.Llm.Inference.LlmModel.Load(SharedData.PathOf("models/tiny/stories260K.gguf"), threads: 2);
        using var session = model.CreateSession(contextLength: 128);
        var tokens = generator.Tokenizer.Encode("Once upon a time");
        var hidden = new float[tokens.Length * 64];
        session.ForwardHidden(tokens, 0, hidden);
        var expected = new float[64];
        for (var t = 0; t < tokens.Length; t++)
            for (var i = 0; i < 64; i++) expected[i] += hidden[t * 64 + i] / tokens.Length;
        var norm = TensorPrimitives.Norm(expected);
        var actual = (await generator.GenerateAsync(["Once upon a time"]))[0].Vector.ToArray();
        for (var i = 0; i < 64; i++) Assert.Equal(expected[i] / norm, actual[i], 4);
    }
}
