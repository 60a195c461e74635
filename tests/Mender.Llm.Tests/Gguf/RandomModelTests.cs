using System.Security.Cryptography;
using Mender.Llm.Gguf;
using Mender.Llm.Runtime;

namespace Mender.Llm.Tests.Gguf;

public sealed class RandomModelTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("random-model-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    public static TheoryData<string, GgmlType> Cases()
    {
        var data = new TheoryData<string, GgmlType>();
        foreach (var arch in RandomModel.Architectures)
            foreach (var type in RandomModel.Types)
                data.Add(arch, type);
        return data;
    }

    [SharedTheory]
    [MemberData(nameof(Cases))]
    public void WritesALoadableModelOfTheArchitecture(string arch, GgmlType type)
    {
        using var vocab = GgufFile.Open(SharedData.PathOf("models/tiny/stories260K.gguf"));
        var path = Path.Combine(dir, $"{arch}-{type}.gguf");
        var shape = ModelShape.Parse("64,2,4,2,96");
        RandomModel.Write(path, arch, "test", shape, type, vocab, seed: 5);

        using (var file = GgufFile.Open(path))
        {
            Assert.Equal(arch, file.Architecture);
            Assert.Equal(2, file.GetInteger($"{arch}.block_count"));
            Assert.Equal(vocab.GetStringArray("tokenizer.ggml.tokens"), file.GetStringArray("tokenizer.ggml.tokens"));
            Assert.Equal(vocab.GetString("tokenizer.ggml.model"), file.GetString("tokenizer.ggml.model"));
            var plan = RandomModel.Plan(arch, shape, 512);
            Assert.Equal(plan.Select(p => p.Name).Order(), file.Tensors.Select(t => t.Name).Order());
            // llama-quantize, like for real files, may keep the output and embedding matrices in a finer type.
            foreach (var t in file.Tensors.Where(t => t.Name.StartsWith("blk.", StringComparison.Ordinal)))
                Assert.Equal(t.Dimensions.Length == 1 ? GgmlType.F32 : type, t.Type);
            Assert.Equal(arch == "llama", file.FindTensor("output.weight") is not null);
            Assert.Equal(arch == "qwen2", file.FindTensor("blk.0.attn_q.bias") is not null);
            Assert.Equal(arch == "qwen3", file.FindTensor("blk.1.attn_k_norm.weight") is not null);
        }

        using var model = LlmModel.Load(path, new LlmModelOptions { Threads = 1 });
        var logits = model.EvaluateLogits([1, 300, 42]);
        Assert.Equal(512, logits.Length);
        Assert.All(logits, l => Assert.True(float.IsFinite(l)));
        Assert.True(logits.Max() - logits.Min() > 1e-4f, "random weights give varying logits");
    }

    [SharedFact]
    public void TheSameSeedWritesTheSameFile()
    {
        using var vocab = GgufFile.Open(SharedData.PathOf("models/tiny/stories260K.gguf"));
        var shape = ModelShape.Parse("tiny");
        string Write(string name, ulong seed)
        {
            var path = Path.Combine(dir, name);
            RandomModel.Write(path, "qwen2", "tiny", shape, GgmlType.Q8_0, vocab, seed);
            return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        }
        Assert.Equal(Write("a.gguf", 7), Write("b.gguf", 7));
        Assert.NotEqual(Write("a.gguf", 7), Write("c.gguf", 8));
    }

    [Fact]
    public void ShapesParseFromPresetsAndDimensions()
    {
        var qwen = ModelShape.Parse("qwen2-0.5b");
        Assert.Equal((896, 24, 14, 2, 4864, 64), (qwen.EmbeddingLength, qwen.Layers, qwen.Heads, qwen.KvHeads, qwen.FeedForwardLength, qwen.HeadDim));
        var dims = ModelShape.Parse("128, 3, 8, 4, 256");
        Assert.Equal((128, 3, 8, 4, 256, 16), (dims.EmbeddingLength, dims.Layers, dims.Heads, dims.KvHeads, dims.FeedForwardLength, dims.HeadDim));
        Assert.Equal(32, ModelShape.Parse("128,3,8,4,256,32").HeadDim);
        Assert.Throws<ArgumentException>(() => ModelShape.Parse("huge"));
        Assert.Throws<ArgumentException>(() => ModelShape.Parse("100,3,8,4,256"));
        Assert.Throws<ArgumentException>(() => ModelShape.Parse("128,3,8,3,256"));
        Assert.Throws<ArgumentException>(() => ModelShape.Parse("128,0,8,4,256"));
    }
}
