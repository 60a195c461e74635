namespace Mender.Recommender.Inference;

/// <summary>A recommended item and its score (the sum of its SID codes' log-probabilities).</summary>
public readonly record struct Recommendation(int Item, float Score);
