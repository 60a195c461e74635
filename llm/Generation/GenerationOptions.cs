using Mender.Llm.Sampling;

namespace Mender.Llm.Generation;

/// <summary>What to generate: how many tokens at most, how to sample, and when to stop.</summary>
internal sealed record GenerationOptions
{
    public int MaxTokens { get; init; } = 256;

    public SamplingOptions Sampling { get; init; } = new();

    /// <summary>Generation stops before the first occurrence of any of these strings (which is not output).</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>Restricts the tokens (e.g. to JSON of a schema); a fresh instance per generation.</summary>
    public ITokenConstraint? Constraint { get; init; }

    /// <summary>Stop at end-of-generation tokens (EOS, end of turn); they are not output.</summary>
    public bool StopAtEndOfGeneration { get; init; } = true;
}
