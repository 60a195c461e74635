namespace Mender.Recommender.SemanticIds;

/// <summary>A progress report of a build: the stage ("embed", "quantize", "write") and how far it is, from 0 to 1.</summary>
public readonly record struct SidBuildProgress(string Stage, double Fraction, string? Detail = null);
