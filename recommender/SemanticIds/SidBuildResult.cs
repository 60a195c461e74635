namespace Mender.Recommender.SemanticIds;

/// <summary>The outcome of a build: the SIDs, their quality, and whether they were read back from a finished earlier run.</summary>
public sealed record SidBuildResult(string OutputDirectory, SidTable Table, SidQuality Quality, bool Reused);
