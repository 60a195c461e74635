namespace Mender.Preference.Extraction;

/// <summary>An extraction prompt as asked, and what was left out to fit the model's context (null when nothing was).</summary>
public sealed record FittedPrompt(string Text, string? Fitting);
