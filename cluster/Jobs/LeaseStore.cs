using Mender.Cluster.Storage;

namespace Mender.Cluster.Jobs;

/// <summary>
/// Leases in <c>mender_leases</c>. Taking one is a single statement, so two silos never take the same lease (on
/// PostgreSQL it skips rows other silos are locking, so neither waits for the other). A lease whose holder stopped
/// renewing it (a killed silo) is free again once it expires. Renewing and completing check the owner: a silo that
/// lost its lease to expiry learns it and stops.
/// </summary>
public sealed class LeaseStore(ClusterConnection connection)
{
    /// <summary>Takes a free or expired lease of <paramref name="job"/> for <paramref name="duration"/>; null when none is left.</summary>
    public async Task<Lease?> TakeAsync(string job, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var command = connection.Statements.Command(connection.Source, "take_lease",
            ("job", job), ("owner", owner), ("seconds", duration.TotalSeconds));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new Lease(job, reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3))
            : null;
    }

    /// <summary>Extends the lease; false when it is no longer this owner's (it expired and another silo took it).</summary>
    public async Task<bool> RenewAsync(Lease lease, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var command = connection.Statements.Command(connection.Source, "renew_lease",
            ("job", lease.Job), ("lease", lease.Number), ("owner", owner), ("seconds", duration.TotalSeconds));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Marks the lease done; false when it was no longer this owner's (its rows were upserted all the same).</summary>
    public async Task<bool> CompleteAsync(Lease lease, string owner, CancellationToken cancellationToken)
    {
        await using var command = connection.Statements.Command(connection.Source, "complete_lease",
            ("job", lease.Job), ("lease", lease.Number), ("owner", owner));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
