namespace Mender.Service.Pipeline;

/// <summary>
/// The preference a request is answered with (null when there is none), the thought that wrote it in reasoning mode,
/// the tokens the language model spent on it, and notes on how it was chosen.
/// </summary>
internal sealed record ChosenPreference(string? Text, string? Thought, int PromptTokens, int CompletionTokens, IReadOnlyList<string> Notes);
