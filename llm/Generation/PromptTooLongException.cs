namespace Mender.Llm.Generation;

/// <summary>A prompt that leaves no room in the context for an answer. Retrying cannot help; a shorter prompt can.</summary>
public sealed class PromptTooLongException(int promptTokens, int contextLength)
    : ArgumentException($"the prompt of {promptTokens} tokens does not fit the context of {contextLength} tokens with room for an answer")
{
    /// <summary>The prompt's length in tokens.</summary>
    public int PromptTokens { get; } = promptTokens;

    /// <summary>The context the prompt had to fit, answer included.</summary>
    public int ContextLength { get; } = contextLength;
}
