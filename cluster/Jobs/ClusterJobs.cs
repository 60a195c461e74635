using Mender.Cluster.Storage;
using Npgsql;

namespace Mender.Cluster.Jobs;

/// <summary>The job rows in PostgreSQL: created once per job id, read by silos, and finished by whoever sees the last lease done.</summary>
public sealed class ClusterJobs(ClusterConnection connection)
{
    /// <summary>Inserts the job and its leases unless they exist: a resubmission leaves finished work as it is.</summary>
    public async Task CreateAsync(JobRequest request, CancellationToken cancellationToken)
    {
        await using var db = await connection.Source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("""
            INSERT INTO mender_jobs (job_id, dataset_name, dataset_path, fingerprint, extractor, model, options, users, prompts, leases, lease_seconds)
            VALUES (@id, @name, @path, @fingerprint, @extractor, @model, @options, @users, @prompts, @leases, @lease_seconds)
            ON CONFLICT (job_id) DO UPDATE SET dataset_path = excluded.dataset_path, lease_seconds = excluded.lease_seconds,
                status = CASE WHEN mender_jobs.status = 'failed' THEN 'running' ELSE mender_jobs.status END,
                error = CASE WHEN mender_jobs.status = 'failed' THEN NULL ELSE mender_jobs.error END
            """, db, transaction))
        {
            // A failed job (a silo saw another dataset) is retried by submitting it again once the copies agree.
            command.Parameters.AddWithValue("id", request.Id);
            command.Parameters.AddWithValue("name", request.DatasetName);
            command.Parameters.AddWithValue("path", request.DatasetPath);
            command.Parameters.AddWithValue("fingerprint", request.Fingerprint);
            command.Parameters.AddWithValue("extractor", request.Extractor);
            command.Parameters.AddWithValue("model", request.Model ?? "");
            command.Parameters.AddWithValue("options", request.OptionsJson);
            command.Parameters.AddWithValue("users", request.Users);
            command.Parameters.AddWithValue("prompts", request.Prompts);
            command.Parameters.AddWithValue("leases", request.Leases.Count);
            command.Parameters.AddWithValue("lease_seconds", request.LeaseSeconds);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var command = new NpgsqlCommand("""
            INSERT INTO mender_leases (job_id, lease, first_user, user_count, prompts)
            SELECT @id, n - 1, f, c, p FROM unnest(@firsts, @counts, @prompts) WITH ORDINALITY AS t(f, c, p, n)
            ON CONFLICT (job_id, lease) DO NOTHING
            """, db, transaction))
        {
            command.Parameters.AddWithValue("id", request.Id);
            command.Parameters.AddWithValue("firsts", request.Leases.Select(l => l.FirstUser).ToArray());
            command.Parameters.AddWithValue("counts", request.Leases.Select(l => l.UserCount).ToArray());
            command.Parameters.AddWithValue("prompts", request.Leases.Select(l => l.Prompts).ToArray());
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The oldest running job that still has leases to take, or null when the cluster is idle.</summary>
    public async Task<ClusterJob?> NextAsync(CancellationToken cancellationToken)
    {
        await using var command = connection.Source.CreateCommand("""
            SELECT j.job_id, j.dataset_name, j.dataset_path, j.fingerprint, j.extractor, j.model, j.options, j.lease_seconds
            FROM mender_jobs j
            WHERE j.status = 'running'
              AND EXISTS (SELECT 1 FROM mender_leases l WHERE l.job_id = j.job_id
                          AND (l.status = 'pending' OR (l.status = 'taken' AND l.expires_at < now())))
            ORDER BY j.created_at LIMIT 1
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        var id = reader.GetString(0);
        return new ClusterJob(id, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetString(5) is { Length: > 0 } model ? model : null, JobOptions.FromJson(reader.GetString(6), id), reader.GetInt32(7));
    }

    /// <summary>Marks the job failed with a reason every submitter shows; the silos stop taking its leases.</summary>
    public async Task FailAsync(string job, string error, CancellationToken cancellationToken)
    {
        await using var command = connection.Source.CreateCommand(
            "UPDATE mender_jobs SET status = 'failed', error = @error, finished_at = now() WHERE job_id = @id AND status = 'running'");
        command.Parameters.AddWithValue("id", job);
        command.Parameters.AddWithValue("error", error);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the job done once no lease is left open; any silo finishing a lease may be the one.</summary>
    public async Task FinishIfDoneAsync(string job, CancellationToken cancellationToken)
    {
        await using var command = connection.Source.CreateCommand("""
            UPDATE mender_jobs SET status = 'done', finished_at = now()
            WHERE job_id = @id AND status = 'running'
              AND NOT EXISTS (SELECT 1 FROM mender_leases WHERE job_id = @id AND status <> 'done')
            """);
        command.Parameters.AddWithValue("id", job);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where <paramref name="job"/> stands: its rows, its leases and each silo's recent pace.</summary>
    public async Task<JobProgress> ProgressAsync(string job, CancellationToken cancellationToken)
    {
        await using var command = connection.Source.CreateCommand($"""
            SELECT j.prompts, j.leases, j.status, j.error,
                   (SELECT COUNT(*) FROM mender_preferences p WHERE p.job_id = j.job_id AND p.status = 'completed'),
                   (SELECT COUNT(*) FROM mender_preferences p WHERE p.job_id = j.job_id AND p.status = 'failed'),
                   (SELECT COUNT(*) FROM mender_leases l WHERE l.job_id = j.job_id AND l.status = 'done')
            FROM mender_jobs j WHERE j.job_id = @id;
            SELECT silo, COUNT(*), EXTRACT(EPOCH FROM now() - MIN(started_at))::float8 FROM mender_preferences
            WHERE job_id = @id AND written_at > now() - interval '{JobProgress.RateWindowSeconds} seconds'
            GROUP BY silo ORDER BY silo;
            """);
        command.Parameters.AddWithValue("id", job);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            throw new InvalidDataException($"job {job} is not in the cluster's database");
        var (prompts, leases, status, error) = (reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3));
        var (completed, failed, leasesDone) = ((int)reader.GetInt64(4), (int)reader.GetInt64(5), (int)reader.GetInt64(6));
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        var silos = new List<SiloRate>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // A silo that began less than a window ago is timed from its first prompt, not credited with idle seconds.
            var seconds = Math.Clamp(reader.GetDouble(2), 1, JobProgress.RateWindowSeconds);
            silos.Add(new SiloRate(reader.GetString(0), reader.GetInt64(1) / seconds));
        }
        return new JobProgress(job, prompts, completed, failed, leases, leasesDone, status, error, silos);
    }
}
