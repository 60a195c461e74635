namespace Mender.Cluster.Jobs;

/// <summary>One lease of a planned job: users <c>[FirstUser, FirstUser + UserCount)</c> by position in the plan.</summary>
[GenerateSerializer, Immutable]
public sealed record LeasePlan([property: Id(0)] int FirstUser, [property: Id(1)] int UserCount, [property: Id(2)] int Prompts);

/// <summary>
/// A job as the submitter planned it. <see cref="Id"/> is a hash of everything that shapes the rows, so the same
/// submission twice is the same job, and the second resumes the first.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JobRequest(
    [property: Id(0)] string Id,
    [property: Id(1)] string DatasetName,
    [property: Id(2)] string DatasetPath,
    [property: Id(3)] string Fingerprint,
    [property: Id(4)] string Extractor,
    [property: Id(5)] string? Model,
    [property: Id(6)] string OptionsJson,
    [property: Id(7)] int Users,
    [property: Id(8)] int Prompts,
    [property: Id(9)] int LeaseSeconds,
    [property: Id(10)] IReadOnlyList<LeasePlan> Leases);
