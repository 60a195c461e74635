namespace Mender.Data.Demo;

/// <summary>The size and seed of a generated demo world. The defaults keep a whole pipeline run within minutes on 2 cores.</summary>
public sealed record DemoWorldOptions
{
    /// <summary>The seed every random choice derives from.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Items in the catalogue.</summary>
    public int Items { get; init; } = 3000;

    /// <summary>Users generated.</summary>
    public int Users { get; init; } = 2000;

    /// <summary>Shortest history; 5 leaves every user three training items after the leave-one-out split.</summary>
    public int MinHistory { get; init; } = 5;

    /// <summary>The longest history a user gets.</summary>
    public int MaxHistory { get; init; } = 30;

    /// <summary>Mean number of interactions beyond <see cref="MinHistory"/> (geometric-like tail, capped at <see cref="MaxHistory"/>).</summary>
    public double MeanExtraHistory { get; init; } = 6;

    /// <summary>The largest catalogue and user count: a demo world is held in memory, and beyond this it takes hours.</summary>
    public const int MaxSize = 1_000_000;

    internal void Validate()
    {
        if (Items is < 50 or > MaxSize) throw new ArgumentOutOfRangeException(nameof(Items), $"the demo world needs 50 to {MaxSize:N0} items, got {Items}");
        if (Users is < 1 or > MaxSize) throw new ArgumentOutOfRangeException(nameof(Users), $"the demo world needs 1 to {MaxSize:N0} users, got {Users}");
        ArgumentOutOfRangeException.ThrowIfLessThan(MinHistory, 1, nameof(MinHistory));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxHistory, MinHistory, nameof(MaxHistory));
        if (MaxHistory > Items / 2)
            throw new ArgumentOutOfRangeException(nameof(MaxHistory), $"histories of up to {MaxHistory} need more than {Items} items");
        ArgumentOutOfRangeException.ThrowIfNegative(MeanExtraHistory, nameof(MeanExtraHistory));
    }
}
