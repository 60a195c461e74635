using Mender.Cluster.Storage;

namespace Mender.Cluster.Jobs;

/// <summary>The job rows in the cluster's database: created once per job id, read by silos, and finished by whoever sees the last lease done.</summary>
public sealed class ClusterJobs(ClusterConnection connection)
{
    /// <summary>Inserts the job and its leases unless they exist: a resubmission leaves finished work as it is.</summary>
    public async Task CreateAsync(JobRequest request, CancellationToken cancellationToken)
    {
        var statements = connection.Statements;
        await using var db = await connection.Source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = statements.Command(db, transaction, "create_job",
            ("id", request.Id), ("name", request.DatasetName), ("path", request.DatasetPath), ("fingerprint", request.Fingerprint),
            ("extractor", request.Extractor), ("model", request.Model ?? ""), ("options", request.OptionsJson), ("users", request.Users),
            ("prompts", request.Prompts), ("leases", request.Leases.Count), ("lease_seconds", request.LeaseSeconds)))
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        for (var lease = 0; lease < request.Leases.Count; lease++)
        {
            var plan = request.Leases[lease];
            await using var command = statements.Command(db, transaction, "create_lease",
                ("id", request.Id), ("lease", lease), ("first_user", plan.FirstUser), ("user_count", plan.UserCount), ("prompts", plan.Prompts));
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The oldest running job that still has leases to take, or null when the cluster is idle.</summary>
    public async Task<ClusterJob?> NextAsync(CancellationToken cancellationToken)
    {
        await using var command = connection.Statements.Command(connection.Source, "next_job");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        var id = reader.GetString(0);
        return new ClusterJob(id, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetString(5) is { Length: > 0 } model ? model : null, JobOptions.FromJson(reader.GetString(6), id), reader.GetInt32(7));
    }

    /// <summary>Marks the job failed with a reason every submitter shows; the silos stop taking its leases.</summary>
    public async Task FailAsync(string job, string error, CancellationToken cancellationToken)
    {
        await using var command = connection.Statements.Command(connection.Source, "fail_job", ("id", job), ("error", error));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the job done once no lease is left open; any silo finishing a lease may be the one.</summary>
    public async Task FinishIfDoneAsync(string job, CancellationToken cancellationToken)
    {
        await using var command = connection.Statements.Command(connection.Source, "finish_job", ("id", job));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where <paramref name="job"/> stands: its rows, its leases and each silo's recent pace.</summary>
    public async Task<JobProgress> ProgressAsync(string job, CancellationToken cancellationToken)
    {
        await using var command = connection.Statements.Command(connection.Source, "job_progress",
            ("id", job), ("window", (double)JobProgress.RateWindowSeconds));
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
