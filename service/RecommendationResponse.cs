namespace Mender.Service;

/// <summary>
/// The answer: items best first, the preference the model was conditioned on (null when none), the thought when
/// reasoning was asked, notes for people (e.g. "this checkpoint was trained in tiger mode: the preference does not steer it"), and the LLM tokens
/// reasoning spent (0 in direct mode).
/// </summary>
public sealed record RecommendationResponse(
    IReadOnlyList<RecommendedItem> Items,
    string? Preference,
    string? Reasoning,
    int PromptTokens,
    int CompletionTokens)
{
    /// <summary>Remarks for people about the answer, e.g. that the preference does not steer this checkpoint.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>"mender" or "tiger": whether the model read the preference.</summary>
    public string Mode { get; init; } = "";

    /// <summary>How many history items the model was given (after the checkpoint's cap).</summary>
    public int HistoryLength { get; init; }

    /// <summary>How long the request took to answer, in milliseconds.</summary>
    public double Milliseconds { get; init; }
}
