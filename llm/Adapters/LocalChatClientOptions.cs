using Mender.Llm.Generation;
using Mender.Llm.Runtime;

namespace Mender.Llm.Adapters;

/// <summary>Settings of a <see cref="LocalChatClient"/>; per-request <c>ChatOptions</c> override the sampling defaults.</summary>
public sealed record LocalChatClientOptions
{
    /// <summary>Tokens of context (prompt plus answer) per request; 0 means the model's length, at most 4096.</summary>
    public int ContextLength { get; init; }

    /// <summary>
    /// Requests generated together (each on its own KV-cache sequence); concurrent callers beyond this wait.
    /// Decoding several at once reads the weights once per step for all of them.
    /// </summary>
    public int ParallelRequests { get; init; } = 1;

    /// <summary>
    /// Start each prompt from the longest prefix any sequence's cache already holds (a system prompt or instructions
    /// shared by many requests are then evaluated once). Off evaluates every prompt whole, for measurements.
    /// </summary>
    public bool ReusePromptPrefixes { get; init; } = true;

    /// <summary>A chat template llama.cpp knows by name (chatml, llama3, ...) or "completion"; null uses the model's own.</summary>
    public string? Template { get; init; }

    /// <summary>Answer length when the request sets no MaxOutputTokens.</summary>
    public int DefaultMaxTokens { get; init; } = 512;

    /// <summary>Sampling used where the request leaves a setting open.</summary>
    public SamplingOptions DefaultSampling { get; init; } = new();

    /// <summary>Reported as the model id; null uses general.name or the file name.</summary>
    public string? ModelId { get; init; }

    /// <summary>How the client loads the model when it opens the file itself.</summary>
    public LlmModelOptions Model { get; init; } = new();
}
