namespace Mender.Cluster.Jobs;

/// <summary>A job as a silo reads it from <c>mender_jobs</c>.</summary>
public sealed record ClusterJob(
    string Id,
    string DatasetName,
    string DatasetPath,
    string Fingerprint,
    string Extractor,
    string? Model,
    JobOptions Options,
    int LeaseSeconds);
