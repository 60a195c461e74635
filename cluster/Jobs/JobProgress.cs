namespace Mender.Cluster.Jobs;

/// <summary>One silo's recent pace: prompts it finished in the last <see cref="JobProgress.RateWindowSeconds"/> seconds.</summary>
[GenerateSerializer, Immutable]
public sealed record SiloRate([property: Id(0)] string Silo, [property: Id(1)] double PromptsPerSecond);

/// <summary>
/// Where a job stands across the cluster: rows finished out of the plan, leases done, each silo's pace and the state
/// (<c>running</c>, <c>done</c>, or <c>failed</c> with the reason).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JobProgress(
    [property: Id(0)] string Job,
    [property: Id(1)] int Prompts,
    [property: Id(2)] int Completed,
    [property: Id(3)] int Failed,
    [property: Id(4)] int Leases,
    [property: Id(5)] int LeasesDone,
    [property: Id(6)] string Status,
    [property: Id(7)] string? Error,
    [property: Id(8)] IReadOnlyList<SiloRate> Silos)
{
    /// <summary>How far back a silo's pace is measured.</summary>
    public const int RateWindowSeconds = 20;

    /// <summary>Rows finished either way.</summary>
    public int Done => Completed + Failed;

    /// <summary>The cluster's pace: the silos' paces summed.</summary>
    public double PromptsPerSecond => Silos.Sum(s => s.PromptsPerSecond);

    /// <summary>Time left at the cluster's current pace; null while nothing is being finished.</summary>
    public TimeSpan? Remaining => PromptsPerSecond > 0 ? TimeSpan.FromSeconds((Prompts - Done) / PromptsPerSecond) : null;
}
