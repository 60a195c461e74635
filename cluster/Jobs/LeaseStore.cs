using Mender.Cluster.Storage;

namespace Mender.Cluster.Jobs;

/// <summary>
/// Leases in <c>mender_leases</c>. Taking one is a single statement that locks the first free row and skips rows
/// other silos are locking at that moment (<c>FOR UPDATE SKIP LOCKED</c>), so two silos never take the same lease and
/// neither waits for the other. A lease whose holder stopped renewing it (a killed silo) is free again once it expires.
/// Renewing and completing check the owner: a silo that lost its lease to expiry learns it and stops.
/// </summary>
public sealed class LeaseStore(ClusterConnection connection)
{
    /// <summary>Takes a free or expired lease of <paramref name="job"/> for <paramref name="duration"/>; null when none is left.</summary>
    public async Task<Lease?> TakeAsync(string job, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var command = connection.Source.CreateCommand("""
            UPDATE mender_leases SET status = 'taken', owner = @owner, expires_at = now() + @duration, takes = takes + 1
            WHERE (job_id, lease) = (
                SELECT job_id, lease FROM mender_leases
                WHERE job_id = @job AND (status = 'pending' OR (status = 'taken' AND expires_at < now()))
                ORDER BY lease LIMIT 1
                FOR UPDATE SKIP LOCKED)
            RETURNING lease, first_user, user_count, takes
            """);
        command.Parameters.AddWithValue("job", job);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("duration", duration);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new Lease(job, reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3))
            : null;
    }

    /// <summary>Extends the lease; false when it is no longer this owner's (it expired and another silo took it).</summary>
    public async Task<bool> RenewAsync(Lease lease, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        await using var command = connection.Source.CreateCommand("""
            UPDATE mender_leases SET expires_at = now() + @duration
            WHERE job_id = @job AND lease = @lease AND owner = @owner AND status = 'taken'
            """);
        command.Parameters.AddWithValue("job", lease.Job);
        command.Parameters.AddWithValue("lease", lease.Number);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("duration", duration);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Marks the lease done; false when it was no longer this owner's (its rows were upserted all the same).</summary>
    public async Task<bool> CompleteAsync(Lease lease, string owner, CancellationToken cancellationToken)
    {
        await using var command = connection.Source.CreateCommand("""
            UPDATE mender_leases SET status = 'done', done_at = now(), expires_at = NULL
            WHERE job_id = @job AND lease = @lease AND owner = @owner AND status = 'taken'
            """);
        command.Parameters.AddWithValue("job", lease.Job);
        command.Parameters.AddWithValue("lease", lease.Number);
        command.Parameters.AddWithValue("owner", owner);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
