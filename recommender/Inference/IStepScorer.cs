namespace Mender.Recommender.Inference;

/// <summary>
/// Next-code log-probabilities for a set of SID prefixes, one decoding step at a time. Row r belongs to query
/// r / beam; all rows of a step have the same prefix length.
/// </summary>
public interface IStepScorer
{
    /// <summary>Values each SID position may take.</summary>
    IReadOnlyList<int> CodebookSizes { get; }

    /// <summary>
    /// Writes log p(code | prefix) for every code of position <paramref name="step"/> into
    /// <paramref name="logProbs"/> [rows, CodebookSizes[step]]. <paramref name="prefixes"/> is [rows, step] codes;
    /// <paramref name="parents"/> (empty at step 0) names for each row the row of the previous step whose prefix it
    /// extends by one code, so a scorer may carry per-row state (a key/value cache) from step to step.
    /// </summary>
    void Score(ReadOnlySpan<int> prefixes, ReadOnlySpan<int> parents, int rows, int step, Span<float> logProbs);
}
