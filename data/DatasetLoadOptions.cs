namespace Mender.Data;

/// <summary>How <see cref="DatasetLoader"/> treats bad input and which filters it applies after reading.</summary>
public sealed record DatasetLoadOptions
{
    /// <summary>The options a plain load uses.</summary>
    public static DatasetLoadOptions Default { get; } = new();

    /// <summary>
    /// Skip malformed lines instead of failing on the first one. Skipped lines are counted in <see cref="LoadReport"/>
    /// with the messages of the first few.
    /// </summary>
    public bool SkipBad { get; init; }

    /// <summary>When set, keep only users and items with at least this many interactions (iterated to a fixed point).</summary>
    public int? KCore { get; init; }
}
