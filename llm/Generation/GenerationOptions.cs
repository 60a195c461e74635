namespace Mender.Llm.Generation;

/// <summary>What to generate: how many tokens at most, how to sample, and when to stop.</summary>
public sealed record GenerationOptions
{
    /// <summary>The most tokens to generate; generation may stop earlier at a stop token or string.</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>How the next token is chosen; greedy when the temperature is 0.</summary>
    public SamplingOptions Sampling { get; init; } = new();

    /// <summary>Generation stops before the first occurrence of any of these strings (which is not output).</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>A GBNF grammar (root rule <c>root</c>) that every generated text must follow, for example from <see cref="Constraints.JsonSchemaGrammar"/>.</summary>
    public string? Grammar { get; init; }

    /// <summary>Stop at end-of-generation tokens (EOS, end of turn); they are not output.</summary>
    public bool StopAtEndOfGeneration { get; init; } = true;
}
