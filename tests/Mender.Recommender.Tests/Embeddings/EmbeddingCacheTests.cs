using Mender.Recommender.Embeddings;
using Microsoft.Extensions.AI;
using Xunit;

namespace Mender.Recommender.Tests.Embeddings;

public sealed class EmbeddingCacheTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "mender-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task SecondRunReadsEverythingFromDisk()
    {
        var texts = new[] { "alpha", "beta", "gamma", "alpha" };
        var counting = new CountingGenerator();
        var first = await EmbeddingCache.Open(root, "counting-v1")
            .GetOrGenerateAsync(texts, _ => Task.FromResult<IEmbeddingGenerator<string, Embedding<float>>>(counting), batchSize: 2);
        Assert.Equal(3, counting.Embedded);

        var second = await EmbeddingCache.Open(root, "counting-v1")
            .GetOrGenerateAsync(texts, _ => throw new InvalidOperationException("the generator must not be needed"));
        Assert.Equal(first, second);
        Assert.Equal(first.AsSpan(0, 3).ToArray(), first.AsSpan(9, 3).ToArray());
        Assert.Equal(CountingGenerator.Vector("gamma"), first.AsSpan(6, 3).ToArray());
    }

    [Fact]
    public async Task OnlyMissingTextsAreEmbedded()
    {
        var counting = new CountingGenerator();
        var cache = EmbeddingCache.Open(root, "counting-v1");
        await cache.GetOrGenerateAsync(["a", "b"], _ => Task.FromResult<IEmbeddingGenerator<string, Embedding<float>>>(counting));
        await EmbeddingCache.Open(root, "counting-v1")
            .GetOrGenerateAsync(["b", "c", "a", "d"], _ => Task.FromResult<IEmbeddingGenerator<string, Embedding<float>>>(counting));
        Assert.Equal(4, counting.Embedded);
    }

    [Fact]
    public async Task DifferentEmbeddersUseSeparateCaches()
    {
        var counting = new CountingGenerator();
        Task<IEmbeddingGenerator<string, Embedding<float>>> Factory(CancellationToken _) => Task.FromResult<IEmbeddingGenerator<string, Embedding<float>>>(counting);
        await EmbeddingCache.Open(root, "model-a").GetOrGenerateAsync(["x"], Factory);
        await EmbeddingCache.Open(root, "model-b").GetOrGenerateAsync(["x"], Factory);
        Assert.Equal(2, counting.Embedded);
        Assert.NotEqual(EmbeddingCache.FolderName("a/b"), EmbeddingCache.FolderName("a_b"));
    }

    [Fact]
    public async Task TornWritesAreCutOffOnOpen()
    {
        var counting = new CountingGenerator();
        var cache = EmbeddingCache.Open(root, "counting-v1");
        await cache.GetOrGenerateAsync(["a", "b"], _ => Task.FromResult<IEmbeddingGenerator<string, Embedding<float>>>(counting));
        // A crash after writing half a row and half an index line.
        File.AppendAllText(Path.Combine(cache.Folder, "index.tsv"), "0123");
        using (var vectors = new FileStream(Path.Combine(cache.Folder, "vectors.f32"), FileMode.Append))
            vectors.Write(new byte[6]);

        var reopened = EmbeddingCache.Open(root, "counting-v1");
        Assert.Equal(2, reopened.Count);
        Assert.Equal(2 * 3 * sizeof(float), new FileInfo(Path.Combine(cache.Folder, "vectors.f32")).Length);
        var matrix = await reopened.GetOrGenerateAsync(["b", "c"], _ => Task.FromResult<IEmbeddingGenerator<string, Embedding<float>>>(counting));
        Assert.Equal(CountingGenerator.Vector("c"), matrix.AsSpan(3, 3).ToArray());
        Assert.Equal(3, EmbeddingCache.Open(root, "counting-v1").Count);
    }

    [Fact]
    public async Task CorruptIndexIsReportedWithItsLine()
    {
        var counting = new CountingGenerator();
        var cache = EmbeddingCache.Open(root, "counting-v1");
        await cache.GetOrGenerateAsync(["a", "b"], _ => Task.FromResult<IEmbeddingGenerator<string, Embedding<float>>>(counting));
        var index = Path.Combine(cache.Folder, "index.tsv");
        var lines = File.ReadAllLines(index);
        lines[1] = "not-a-hash\t0";
        File.WriteAllLines(index, lines);
        var error = Assert.Throws<InvalidDataException>(() => EmbeddingCache.Open(root, "counting-v1"));
        Assert.Contains("line 2", error.Message);
    }

    [Fact]
    public async Task WrongWidthFromTheEmbedderIsAnError()
    {
        var cache = EmbeddingCache.Open(root, "counting-v1");
        await cache.GetOrGenerateAsync(["a"], _ => Task.FromResult<IEmbeddingGenerator<string, Embedding<float>>>(new CountingGenerator()));
        await Assert.ThrowsAsync<InvalidDataException>(() => cache.GetOrGenerateAsync(["b"],
            _ => Task.FromResult<IEmbeddingGenerator<string, Embedding<float>>>(new CountingGenerator(width: 4))));
    }

    /// <summary>A deterministic embedder that counts the texts it is asked to embed.</summary>
    private sealed class CountingGenerator(int width = 3) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public int Embedded { get; private set; }

        public static float[] Vector(string text, int width = 3) =>
            Enumerable.Range(0, width).Select(i => (float)(text.GetHashCode(StringComparison.Ordinal) % 97 + i)).ToArray();

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
            EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var value in values)
            {
                Embedded++;
                result.Add(new Embedding<float>(Vector(value, width)));
            }
            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
