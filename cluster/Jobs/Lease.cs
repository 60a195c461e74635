namespace Mender.Cluster.Jobs;

/// <summary>A lease a silo holds: users <c>[FirstUser, FirstUser + UserCount)</c> of the job's plan.</summary>
public sealed record Lease(string Job, int Number, int FirstUser, int UserCount, int Takes);
