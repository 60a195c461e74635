using Microsoft.Extensions.Logging;

namespace Mender.Service;

/// <summary>How <see cref="RecommendationService.Open(RecommendationServiceOptions)"/> sets up: the checkpoint, the optional LLM, and request limits.</summary>
public sealed class RecommendationServiceOptions
{
    /// <summary>A tiger- or mender-mode run directory written by <c>mender train</c>.</summary>
    public string Checkpoint { get; set; } = "";

    /// <summary>A GGUF model for reasoning mode and LLM preference extraction; without one only direct mode works.</summary>
    public string? ModelPath { get; set; }

    /// <summary>Longest history a request may carry (user history plus given items).</summary>
    public int MaxHistory { get; set; } = 200;

    /// <summary>Largest k (and the largest beam is <c>max(4·MaxK, 256)</c>).</summary>
    public int MaxK { get; set; } = 100;

    /// <summary>Threads for the LLM's forward pass; 0 means one per core.</summary>
    public int Threads { get; set; }

    /// <summary>A prompt folder in the shipped layout (a Semantic Kernel prompt directory per prompt); null uses the shipped one.</summary>
    public string? PromptsDirectory { get; set; }

    /// <summary>Tokens of LLM context for reasoning; 0 means the model's length, at most 4096.</summary>
    public int ContextLength { get; set; }

    /// <summary>Where the chat pipeline to the LLM logs its calls; null logs nothing.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
