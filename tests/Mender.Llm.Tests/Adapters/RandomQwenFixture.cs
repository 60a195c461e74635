using Mender.Llm.Gguf;
using Mender.TestSupport;

namespace Mender.Llm.Tests.Adapters;

/// <summary>A tiny qwen2 model with random weights and the real Qwen tokenizer, written once for the tests that need it.</summary>
public sealed class RandomQwenFixture : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("random-qwen-").FullName;
    private readonly Lazy<string> path;

    public RandomQwenFixture() => this.path = new Lazy<string>(() =>
    {
        var path = System.IO.Path.Combine(dir, "qwen2-tiny-random.gguf");
        using var vocab = GgufFile.Open(SharedData.PathOf("models/vocab/ggml-vocab-qwen2.gguf"));
        RandomModel.Write(path, "qwen2", "tiny", ModelShape.Parse("tiny"), GgmlType.Q8_0, vocab, seed: 11);
        return path;
    });

    public string Path => this.path.Value;

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
