using System.CommandLine;
using Mender.Llm.Runtime;

namespace Mender.Cli.Commands;

/// <summary>The options every command that loads a GGUF model takes: threads, GPU offload and the llama.cpp build.</summary>
internal sealed class LlmModelArguments
{
    public Option<int> Threads { get; } = new("--threads", "-t") { Description = "Compute threads (default: one per core)", DefaultValueFactory = _ => 0 };

    public Option<int> GpuLayers { get; } = new("--gpu-layers")
    {
        Description = "Layers to offload to the GPU (needs a GPU backend package, see the README)",
        DefaultValueFactory = _ => 0,
    };

    public Option<LlmBackendKind> Backend { get; } = new("--backend")
    {
        Description = "llama.cpp build: auto (a GPU build when its package is present, else the best CPU build), cpu, cuda or vulkan",
        DefaultValueFactory = _ => LlmBackendKind.Auto,
    };

    public IEnumerable<Option> All => [Threads, GpuLayers, Backend];

    /// <summary>Chooses the backend and returns the load options the command line asked for.</summary>
    public LlmModelOptions Read(ParseResult parse)
    {
        LlmBackend.Use(parse.GetValue(Backend));
        var options = new LlmModelOptions { Threads = parse.GetValue(Threads), GpuLayers = parse.GetValue(GpuLayers) };
        options.Validate();
        return options;
    }
}
