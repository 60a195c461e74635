using Mender.Llm.Sampling;

namespace Mender.Llm.Adapters;

/// <summary>Settings of a <see cref="LocalChatClient"/>; per-request <c>ChatOptions</c> override the sampling defaults.</summary>
internal sealed record LocalChatClientOptions
{
    /// <summary>Tokens of context (prompt plus answer) per request; 0 means the model's length, at most 4096.</summary>
    public int ContextLength { get; init; }

    /// <summary>
    /// Requests generated together (each keeps its own KV cache of <see cref="ContextLength"/> tokens); concurrent
    /// callers beyond this wait. Decoding several at once reads the weights once per step for all of them.
    /// </summary>
    public int ParallelRequests { get; init; } = 1;

    /// <summary>A template name (chatml, llama3, llama2, mistral, completion); null picks it from the model.</summary>
    public string? Template { get; init; }

    /// <summary>Answer length when the request sets no MaxOutputTokens.</summary>
    public int DefaultMaxTokens { get; init; } = 512;

    /// <summary>Sampling used where the request leaves a setting open.</summary>
    public SamplingOptions DefaultSampling { get; init; } = new();

    /// <summary>Reported as the model id; null uses general.name or the file name.</summary>
    public string? ModelId { get; init; }

    /// <summary>Threads for the forward pass when the client loads the model itself; 0 means one per core.</summary>
    public int Threads { get; init; }
}
