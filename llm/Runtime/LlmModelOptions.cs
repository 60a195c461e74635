namespace Mender.Llm.Runtime;

/// <summary>How a GGUF model is loaded and how much work its contexts may do at once.</summary>
public sealed record LlmModelOptions
{
    /// <summary>Compute threads; 0 means one per core.</summary>
    public int Threads { get; init; }

    /// <summary>Layers offloaded to the GPU when a GPU backend is loaded; 0 keeps everything on the CPU.</summary>
    public int GpuLayers { get; init; }

    /// <summary>Tokens evaluated per native decode call (prompt chunks are cut to this).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Keep the KV cache in float32 instead of float16 (exact parity with reference logits, twice the memory).</summary>
    public bool Float32KvCache { get; init; }

    /// <summary>The number of threads actually used.</summary>
    public int ResolvedThreads => Threads > 0 ? Threads : Environment.ProcessorCount;

    /// <summary>Throws when an option is out of range, before the model is loaded.</summary>
    public void Validate()
    {
        if (Threads < 0) throw new ArgumentException($"threads must be 0 (one per core) or more, got {Threads}");
        if (GpuLayers < 0) throw new ArgumentException($"GPU layers must be 0 or more, got {GpuLayers}");
        if (BatchSize < 1) throw new ArgumentException($"batch size must be at least 1, got {BatchSize}");
    }
}
