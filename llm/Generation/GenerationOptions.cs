namespace Mender.Llm.Generation;

/// <summary>What to generate: how many tokens at most, how to sample, and when to stop.</summary>
public sealed record GenerationOptions
{
    public int MaxTokens { get; init; } = 256;

    public SamplingOptions Sampling { get; init; } = new();

    /// <summary>Generation stops before the first occurrence of any of these strings (which is not output).</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>A GBNF grammar (root rule <c>root</c>) that every generated text must follow, for example from <see cref="Constraints.JsonSchemaGrammar"/>.</summary>
    public string? Grammar { get; init; }

    /// <summary>Stop at end-of-generation tokens (EOS, end of turn); they are not output.</summary>
    public bool StopAtEndOfGeneration { get; init; } = true;
}
