using System.Numerics.Tensors;
using Mender.Llm.Adapters;
using Mender.Llm.Runtime;
using Mender.Llm.Tests.Runtime;
using Microsoft.Extensions.AI;

namespace Mender.Llm.Tests.Adapters;

public sealed class LocalEmbeddingGeneratorTests
{
    private static LocalEmbeddingGenerator Open(EmbeddingPooling pooling) =>
        LocalEmbeddingGenerator.Open(SharedData.PathOf(StoriesGreedyTests.Model), pooling, contextLength: 128, new LlmModelOptions { Threads = 2 });

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
    public async Task ATextsEmbeddingDoesNotDependOnTheTextsBeforeIt()
    {
        using var generator = Open(EmbeddingPooling.LastToken);
        var alone = (await generator.GenerateAsync(["Once upon a time"]))[0].Vector.ToArray();
        var after = (await generator.GenerateAsync(["A long story about a dog and a cat who were friends.", "Once upon a time"]))[1].Vector.ToArray();
        Assert.Equal(alone, after);
    }
}
