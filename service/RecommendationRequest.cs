namespace Mender.Service;

/// <summary>
/// One recommendation request, as <c>/v1/recommendations</c>, the chat API and <c>mender recommend</c> take it. The
/// history is the user's stored history (when <see cref="UserId"/> is given) followed by <see cref="History"/>.
/// </summary>
public sealed record RecommendationRequest
{
    /// <summary>A user of the checkpoint's dataset (external id); unknown ids are a <see cref="KeyNotFoundException"/>.</summary>
    public string? UserId { get; init; }

    /// <summary>External item ids, oldest first (catalogue or cold-start items); appended after the user's own history.</summary>
    public IReadOnlyList<string>? History { get; init; }

    /// <summary>What the user asks for in words, e.g. "something for dry skin, no fragrance".</summary>
    public string? Preference { get; init; }

    /// <summary>
    /// Instead of <see cref="Preference"/>: what the user said over the turns of a conversation, oldest first. The turns
    /// are combined into one preference by the language model when one is loaded, else (or when its answer is unusable)
    /// by rules: a later turn overrides an earlier one it contradicts, and negatives stay negative.
    /// </summary>
    public IReadOnlyList<string>? Turns { get; init; }

    /// <summary>How many items to recommend.</summary>
    public int K { get; init; } = 10;

    /// <summary>Beam width; null picks at least the checkpoint's and at least twice <see cref="K"/>.</summary>
    public int? Beam { get; init; }

    /// <summary>Let the LLM think about the history and the request first and write the preference the model is given.</summary>
    public bool Reasoning { get; init; }

    /// <summary>Leave items already in the history out of the answer.</summary>
    public bool ExcludeHistory { get; init; } = true;

    /// <summary>Above 0 the beams are sampled (for variety) with <see cref="Seed"/>; 0 is deterministic.</summary>
    public float Temperature { get; init; }

    /// <summary>Seed of the random sampling when <see cref="Temperature"/> is above 0, so a sampled answer can be repeated.</summary>
    public ulong Seed { get; init; } = 42;
}
