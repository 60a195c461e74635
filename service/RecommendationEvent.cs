namespace Mender.Service;

/// <summary>
/// What <see cref="RecommendationService.StreamAsync"/> yields, in order: <see cref="ThoughtDelta"/>s as the thought is
/// written (reasoning mode only), one <see cref="PreferenceChosen"/> when a preference is used, then one <see cref="Completed"/>.
/// </summary>
public abstract record RecommendationEvent;

/// <summary>A piece of the thought, as generated (stage headers included), to be appended to what came before.</summary>
public sealed record ThoughtDelta(string Text) : RecommendationEvent;

/// <summary>The preference the model is conditioned on (the reasoned one, or the typed one).</summary>
public sealed record PreferenceChosen(string Text) : RecommendationEvent;

/// <summary>The last event: the finished answer.</summary>
/// <param name="Response">The recommendations, as <see cref="RecommendationService.RecommendAsync"/> would return them.</param>
public sealed record Completed(RecommendationResponse Response) : RecommendationEvent;
