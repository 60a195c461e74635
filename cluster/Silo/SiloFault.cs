namespace Mender.Cluster.Silo;

/// <summary>
/// The reason a silo stopped itself (a job for another model, a dataset that differs from the submitter's). The
/// worker records it and stops the host; the command that ran the silo rethrows it, so it exits 1 with that line.
/// </summary>
public sealed class SiloFault
{
    /// <summary>The first reason recorded; null while the silo runs normally.</summary>
    public Exception? Error { get; private set; }

    /// <summary>Records <paramref name="error"/> unless a reason is already recorded.</summary>
    public void Set(Exception error) => Error ??= error;
}
