namespace Mender.Service;

/// <summary>One review given to <see cref="RecommendationService.ExtractPreferencesAsync"/>: the item's title, the stars (1-5) and the text.</summary>
public sealed record ReviewInput(string Title, float? Rating, string? Summary, string Text);
