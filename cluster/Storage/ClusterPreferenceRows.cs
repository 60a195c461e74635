using Mender.Cluster.Jobs;
using Mender.Preference.Storage;
using Npgsql;

namespace Mender.Cluster.Storage;

/// <summary>
/// A job's rows in <c>mender_preferences</c>, seen by every silo. As an <see cref="IStepStore"/> it is one lease's
/// view: the finished rows of the lease's users, and an idempotent upsert keyed by (user, step, prompt hash), so a
/// lease redone after its silo died writes the same rows again instead of duplicates. Only finished rows are written:
/// a prompt in flight when a silo is killed leaves nothing behind.
/// </summary>
public sealed class ClusterPreferenceRows(ClusterConnection connection, ClusterJob job, string silo, IReadOnlyCollection<string> users) : IStepStore
{
    /// <inheritdoc/>
    public string Path => $"{connection.Where} (job {job.Id})";

    /// <inheritdoc/>
    public void Bind(string dataset, string extractor, string? model)
    {
        if (dataset != job.DatasetName)
            throw new InvalidDataException($"job {job.Id} is for dataset '{job.DatasetName}', not '{dataset}'");
        if (extractor != job.Extractor || (model ?? "") != (job.Model ?? ""))
            throw new InvalidDataException(
                $"job {job.Id} is extracted by {PreferenceStore.Describe(job.Extractor, job.Model)}; this silo hosts {PreferenceStore.Describe(extractor, model)}");
    }

    /// <inheritdoc/>
    public Dictionary<(string User, int Step), StepStatus> FinishedSteps()
    {
        using var command = connection.Source.CreateCommand(
            "SELECT user_id, step, status FROM mender_preferences WHERE job_id = @job AND user_id = ANY(@users)");
        command.Parameters.AddWithValue("job", job.Id);
        command.Parameters.AddWithValue("users", users.ToArray());
        using var reader = command.ExecuteReader();
        var finished = new Dictionary<(string, int), StepStatus>();
        while (reader.Read())
            finished[(reader.GetString(0), reader.GetInt32(1))] = PreferenceStore.ParseStatus(reader.GetString(2), $"job {job.Id}");
        return finished;
    }

    /// <inheritdoc/>
    public void Write(IReadOnlyCollection<StoredStep> rows)
    {
        var finished = rows.Where(r => r.Status != StepStatus.Running).ToList();
        if (finished.Count == 0) return;
        using var db = connection.Source.OpenConnection();
        using var transaction = db.BeginTransaction();
        using var batch = new NpgsqlBatch(db, transaction);
        foreach (var row in finished)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO mender_preferences (job_id, user_id, step, prompt_hash, user_index, window_start, status, preferences, sentiments,
                    sentiment_by, extractor, model, attempts, error, input_tokens, output_tokens, started_at, completed_at, fitting, silo)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
                ON CONFLICT (job_id, user_id, step, prompt_hash) DO UPDATE SET
                    status = excluded.status, preferences = excluded.preferences, sentiments = excluded.sentiments,
                    sentiment_by = excluded.sentiment_by, attempts = excluded.attempts, error = excluded.error,
                    input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, started_at = excluded.started_at,
                    completed_at = excluded.completed_at, fitting = excluded.fitting, silo = excluded.silo, written_at = now()
                """);
            object?[] values =
            [
                job.Id, row.User, row.Step, row.PromptHash, row.UserIndex, row.WindowStart, PreferenceStore.StatusName(row.Status),
                PreferenceStore.TextsJson(row.Preferences), PreferenceStore.SentimentsJson(row.Preferences), row.SentimentBy,
                row.Extractor, row.Model, row.Attempts, row.Error, row.InputTokens, row.OutputTokens, row.StartedAt, row.CompletedAt,
                row.Fitting, silo,
            ];
            foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            batch.BatchCommands.Add(command);
        }
        batch.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>
    /// Copies a finished job's rows into a SQLite <see cref="PreferenceStore"/>: the same <c>preferences.db</c> a
    /// single-process run writes, so training, matching and benchmarks read cluster results unchanged.
    /// </summary>
    public static async Task<int> ExportAsync(ClusterConnection connection, string jobId, PreferenceStore store,
        string dataset, string extractor, string? model, CancellationToken cancellationToken)
    {
        store.Bind(dataset, extractor, model);
        await using var command = connection.Source.CreateCommand("""
            SELECT user_id, user_index, step, window_start, status, preferences, sentiments, sentiment_by, extractor, model,
                   prompt_hash, attempts, error, input_tokens, output_tokens, to_char(started_at, @iso), to_char(completed_at, @iso), fitting
            FROM mender_preferences WHERE job_id = @job ORDER BY user_index, step, written_at
            """);
        command.Parameters.AddWithValue("job", jobId);
        // Times as the ISO 8601 text the SQLite store keeps, so both are read by PreferenceStore.ReadRow.
        command.Parameters.AddWithValue("iso", "YYYY-MM-DD\"T\"HH24:MI:SS.USOF");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<StoredStep>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(PreferenceStore.ReadRow(reader, $"job {jobId}"));
        store.Write(rows);
        return rows.Count;
    }
}
