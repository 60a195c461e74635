namespace Mender.Llm.Generation;

/// <summary>
/// The outcome of one generation, with where its time went: <see cref="PromptTime"/> from admission to the first
/// sampled token (prompt evaluation, minus any cached prefix), <see cref="DecodeTime"/> from there to the end.
/// </summary>
public sealed record GenerationResult(
    string Text, int[] Tokens, int PromptTokens, int CachedPromptTokens, FinishReason FinishReason, TimeSpan PromptTime, TimeSpan DecodeTime);
