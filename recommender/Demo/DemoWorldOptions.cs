namespace Mender.Recommender.Demo;

/// <summary>The size and seed of a generated demo world. The defaults keep a whole pipeline run within minutes on 2 cores.</summary>
public sealed record DemoWorldOptions
{
    public long Seed { get; init; } = 42;

    public int Items { get; init; } = 3000;

    public int Users { get; init; } = 2000;

    /// <summary>Shortest history; 5 leaves every user three training items after the leave-one-out split.</summary>
    public int MinHistory { get; init; } = 5;

    public int MaxHistory { get; init; } = 30;

    /// <summary>Mean number of interactions beyond <see cref="MinHistory"/> (geometric-like tail, capped at <see cref="MaxHistory"/>).</summary>
    public double MeanExtraHistory { get; init; } = 6;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Items, 50, nameof(Items));
        ArgumentOutOfRangeException.ThrowIfLessThan(Users, 1, nameof(Users));
        ArgumentOutOfRangeException.ThrowIfLessThan(MinHistory, 1, nameof(MinHistory));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHistory, MinHistory, nameof(MaxHistory));
        if (MaxHistory > Items / 2)
            throw new ArgumentOutOfRangeException(nameof(MaxHistory), $"histories of up to {MaxHistory} need more than {Items} items");
        ArgumentOutOfRangeException.ThrowIfNegative(MeanExtraHistory, nameof(MeanExtraHistory));
    }
}
