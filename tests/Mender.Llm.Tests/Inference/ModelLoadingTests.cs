using Mender.Llm.Gguf;
using Mender.Llm.Inference;
using Mender.TestSupport;
using Xunit;

namespace Mender.Llm.Tests.Inference;

/// <summary>Files that cannot be run fail at load time with an error naming the architecture, tensor or type at fault.</summary>
public sealed class ModelLoadingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mender-llm-load-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [SharedFact]
    public void Configuration_is_read_from_metadata()
    {
        using var llm = LlmModel.Load(SharedData.PathOf($"{ReferenceLogits.Folder}/qwen2-tiny-Q8_0.gguf"), threads: 1);
        var c = llm.Config;
        Assert.Equal(("qwen2", 256, 4, 4, 2, 64, 768, 512), (c.Architecture, c.EmbeddingLength, c.LayerCount, c.HeadCount, c.KvHeadCount, c.HeadDimension, c.FeedForwardLength, c.VocabSize));
        Assert.Equal(RopeStyle.Neox, c.RopeStyle);
        Assert.Equal(1e6f, c.RopeBase);
        Assert.Same(llm.Weights.TokenEmbedding, llm.Weights.Output);
    }

    [SharedFact]
    public void An_unknown_architecture_is_not_supported()
    {
        var path = Rewrite("llama-tiny-F32", metadata: ("general.architecture", GgufValue.Of("gpt2")));
        var error = Assert.Throws<NotSupportedException>(() => LlmModel.Load(path, threads: 1));
        Assert.Contains("gpt2", error.Message);
    }

    [SharedFact]
    public void A_missing_tensor_is_named()
    {
        var path = Rewrite("llama-tiny-F32", drop: "blk.2.ffn_up.weight");
        var error = Assert.Throws<InvalidDataException>(() => LlmModel.Load(path, threads: 1));
        Assert.Contains("blk.2.ffn_up.weight", error.Message);
    }

    [SharedFact]
    public void A_tensor_of_the_wrong_shape_is_named()
    {
        var path = Rewrite("llama-tiny-F32", metadata: ("llama.feed_forward_length", GgufValue.Of(512u)));
        var error = Assert.Throws<InvalidDataException>(() => LlmModel.Load(path, threads: 1));
        Assert.Contains("ffn_gate.weight", error.Message);
        Assert.Contains("768", error.Message);
    }

    [SharedFact]
    public void An_unsupported_weight_type_is_named()
    {
        var path = Rewrite("llama-tiny-F32", retype: ("blk.1.attn_q.weight", GgmlType.Q4_1));
        var error = Assert.Throws<NotSupportedException>(() => LlmModel.Load(path, threads: 1));
        Assert.Contains("blk.1.attn_q.weight", error.Message);
        Assert.Contains("Q4_1", error.Message);
    }

    /// <summary>A copy of a reference model with one metadata value changed, one tensor dropped or one retyped.</summary>
    private string Rewrite(string model, (string Key, GgufValue Value)? metadata = null, string? drop = null,
        (string Name, GgmlType Type)? retype = null)
    {
        using var source = GgufFile.Open(SharedData.PathOf($"{ReferenceLogits.Folder}/{model}.gguf"));
        var writer = new GgufWriter(source.Alignment);
        foreach (var (key, value) in source.Metadata)
            if (key != "general.alignment")
                writer.Set(key, value);
        if (metadata is { } m) writer.Set(m.Key, m.Value);
        foreach (var tensor in source.Tensors)
        {
            if (tensor.Name == drop) continue;
            if (retype is { } r && tensor.Name == r.Name)
            {
                writer.AddTensor(tensor.Name, r.Type, tensor.Dimensions, new byte[GgufWriter.ByteSizeOf(r.Type, tensor.Dimensions)]);
                continue;
            }
            writer.AddTensor(tensor.Name, tensor.Type, tensor.Dimensions, source.TensorBytes(tensor).ToArray());
        }
        var path = Path.Combine(_folder, $"{model}-{Guid.NewGuid():N}.gguf");
        writer.Write(path);
        return path;
    }
}
