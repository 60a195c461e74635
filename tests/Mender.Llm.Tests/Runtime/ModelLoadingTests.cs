using Mender.Llm.Gguf;
using Mender.Llm.Runtime;

namespace Mender.Llm.Tests.Runtime;

/// <summary>Files that cannot be run fail with an error naming the file and what llama.cpp or our header check found wrong.</summary>
public sealed class ModelLoadingTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mender-llm-load-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [SharedFact]
    public void FactsAreReadFromTheFile()
    {
        using var llm = LlmModel.Load(SharedData.PathOf($"{ReferenceLogits.Folder}/qwen2-tiny-Q8_0.gguf"), new LlmModelOptions { Threads = 1 });
        Assert.Equal(("qwen2", 256, 512, 512), (llm.Architecture, llm.EmbeddingLength, llm.VocabularySize, llm.TrainedContextLength));
        Assert.StartsWith("Q8_0", llm.WeightTypes);
    }

    [SharedFact]
    public void AnUnknownArchitectureIsNamed()
    {
        var path = Rewrite("llama-tiny-F32", metadata: ("general.architecture", GgufValue.Of("nosucharch")));
        var error = Assert.Throws<InvalidDataException>(() => LlmModel.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("nosucharch", error.Message);
    }

    [SharedFact]
    public void AMissingTensorIsNamed()
    {
        var path = Rewrite("llama-tiny-F32", drop: "blk.2.ffn_up.weight");
        var error = Assert.Throws<InvalidDataException>(() => LlmModel.Load(path));
        Assert.Contains("blk.2.ffn_up.weight", error.Message);
    }

    [SharedFact]
    public void ANonFiniteEpsilonIsRefusedAtLoad()
    {
        var path = Rewrite("llama-tiny-F32", metadata: ("llama.attention.layer_norm_rms_epsilon", GgufValue.Of(float.NaN)));
        var error = Assert.Throws<InvalidDataException>(() => LlmModel.Load(path));
        Assert.Contains("layer_norm_rms_epsilon", error.Message);
    }

    [SharedFact]
    public void NanWeightsGiveAnErrorInsteadOfNanLogits()
    {
        var path = Rewrite("llama-tiny-F32", fill: ("blk.0.attn_q.weight", float.NaN));
        using var llm = LlmModel.Load(path);
        var error = Assert.Throws<InvalidDataException>(() => llm.EvaluateLogits([1, 2, 3]));
        Assert.Contains("not finite", error.Message);
    }

    [Fact]
    public void PathsThatAreNoModelFileAreNamedForWhatTheyAre()
    {
        Assert.Contains("is a directory", Assert.Throws<ArgumentException>(() => LlmModel.Load(folder)).Message);
        Assert.Contains("not found", Assert.Throws<FileNotFoundException>(() => LlmModel.Load(Path.Combine(folder, "none.gguf"))).Message);
        var fifo = Path.Combine(folder, "pipe.gguf");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        Assert.Contains("not a regular file", Assert.Throws<InvalidDataException>(() => LlmModel.Load(fifo)).Message);
    }

    /// <summary>A copy of a reference model with one metadata value changed, one tensor dropped or one retyped.</summary>
    private string Rewrite(string model, (string Key, GgufValue Value)? metadata = null, string? drop = null,
        (string Name, float Value)? fill = null)
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
            if (fill is { } f && tensor.Name == f.Name)
            {
                var values = Enumerable.Repeat(f.Value, (int)tensor.Dimensions.Aggregate(1L, (a, b) => a * b)).ToArray();
                writer.AddTensor(tensor.Name, tensor.Type, tensor.Dimensions, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
                continue;
            }
            writer.AddTensor(tensor.Name, tensor.Type, tensor.Dimensions, source.TensorBytes(tensor).ToArray());
        }
        var path = Path.Combine(folder, $"{model}-{Guid.NewGuid():N}.gguf");
        writer.Write(path);
        return path;
    }
}
