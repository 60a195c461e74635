using Npgsql;

namespace Mender.Cluster.Storage;

/// <summary>
/// Applies the PostgreSQL schema. Silos and submitters start at the same moment, and PostgreSQL's
/// <c>CREATE … IF NOT EXISTS</c> is not safe against itself when run concurrently, so the script runs in one
/// transaction holding an advisory lock.
/// </summary>
internal static class ClusterSchema
{
    // Any fixed number; it only has to be the same for every process applying this schema.
    private const long LockKey = 0x6d656e646572;

    public static async Task ApplyAsync(NpgsqlDataSource source, string script, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({LockKey})", connection, transaction))
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(script, connection, transaction))
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
