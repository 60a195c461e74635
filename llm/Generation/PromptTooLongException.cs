namespace Mender.Llm.Generation;

/// <summary>A prompt that leaves no room in the context for an answer. Retrying cannot help; a shorter prompt can.</summary>
public sealed class PromptTooLongException(int promptTokens, int contextLength)
    : ArgumentException($"the prompt of {promptTokens} tokens does not fit the context of {contextLength} tokens with room for an answer")
{
    public int PromptTokens { get; } = promptTokens;

    public int ContextLength { get; } = contextLength;
}
