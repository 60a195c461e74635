using Mender.Llm.Gguf;
using Mender.Llm.Inference.Architectures;

namespace Mender.Llm.Inference;

/// <summary>
/// A loaded model: the GGUF file (kept open; the weight matrices are read from its memory map), the configuration
/// and the tensors bound per block. Create an <see cref="InferenceSession"/> to run it. Sessions are independent, but
/// each one uses <see cref="Threads"/> threads while it computes.
/// </summary>
internal sealed class LlmModel : IDisposable
{
    private LlmModel(GgufFile file, ModelConfig config, TransformerArchitecture architecture, ModelWeights weights, int threads)
    {
        File = file;
        Config = config;
        Architecture = architecture;
        Weights = weights;
        Threads = threads;
    }

    public GgufFile File { get; }
    public ModelConfig Config { get; }
    public TransformerArchitecture Architecture { get; }
    public ModelWeights Weights { get; }

    /// <summary>Threads each session computes with.</summary>
    public int Threads { get; }

    /// <summary>Opens <paramref name="path"/> and binds its tensors; <paramref name="threads"/> ≤ 0 means one per core.</summary>
    public static LlmModel Load(string path, int threads = 0)
    {
        var file = GgufFile.Open(path);
        try
        {
            return Load(file, threads);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Binds the tensors of an open file; the model takes ownership of it.</summary>
    public static LlmModel Load(GgufFile file, int threads = 0)
    {
        if (string.IsNullOrEmpty(file.Architecture))
            throw new InvalidDataException($"'{file.Path}': general.architecture is missing");
        var architecture = TransformerArchitecture.For(file.Architecture);
        var config = ModelConfig.FromGguf(file, architecture.RopeStyle);
        var weights = ModelWeights.Load(new ModelTensors(file), config, architecture);
        var count = threads > 0 ? threads : Environment.ProcessorCount;
        // Parsing a large vocabulary leaves tens of MB of garbage; return it to the OS before the weights page in, since
        // peak resident memory is what decides whether a model fits.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return new LlmModel(file, config, architecture, weights, count);
    }

    /// <summary>
    /// A session with a KV cache for <paramref name="sequences"/> sequences of up to <paramref name="contextLength"/>
    /// tokens each (≤ 0: the model's trained length, capped at 4096), processing prompts in batches of up to
    /// <paramref name="batchSize"/> tokens.
    /// </summary>
    public InferenceSession CreateSession(int sequences = 1, int contextLength = 0, int batchSize = 512) =>
        new(this, sequences, contextLength > 0 ? contextLength : Math.Min(Config.ContextLength, 4096), batchSize);

    public void Dispose() => File.Dispose();
}
