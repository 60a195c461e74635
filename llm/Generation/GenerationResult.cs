namespace Mender.Llm.Generation;

/// <summary>The outcome of one generation.</summary>
internal sealed record GenerationResult(string Text, int[] Tokens, int PromptTokens, FinishReason FinishReason);
