namespace Mender.Cluster.Silo;

/// <summary>Who this silo is in the job tables (the lease owner, the writer of rows) and where its metrics are served.</summary>
public sealed record SiloIdentity(string Name, int MetricsPort);
