using Mender.Cluster.Jobs;
using Mender.Preference.Storage;
using System.Text.Json;

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
        using var command = connection.Statements.Command(connection.Source, "finished_steps",
            ("job", job.Id), ("users", JsonSerializer.Serialize(users)));
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
        foreach (var row in finished)
        {
            using var command = connection.Statements.Command(db, transaction, "write_row",
                ("job", job.Id), ("user", row.User), ("step", row.Step), ("prompt_hash", row.PromptHash), ("user_index", row.UserIndex),
                ("window_start", row.WindowStart), ("status", PreferenceStore.StatusName(row.Status)),
                ("preferences", PreferenceStore.TextsJson(row.Preferences)), ("sentiments", PreferenceStore.SentimentsJson(row.Preferences)),
                ("sentiment_by", row.SentimentBy), ("extractor", row.Extractor), ("model", row.Model), ("attempts", row.Attempts),
                ("error", row.Error), ("input_tokens", row.InputTokens), ("output_tokens", row.OutputTokens),
                ("started_at", connection.Time(row.StartedAt)), ("completed_at", connection.Time(row.CompletedAt)),
                ("fitting", row.Fitting), ("silo", silo));
            command.ExecuteNonQuery();
        }
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
        await using var command = connection.Statements.Command(connection.Source, "export_rows", ("job", jobId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<StoredStep>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) rows.Add(PreferenceStore.ReadRow(reader, $"job {jobId}"));
        store.Write(rows);
        return rows.Count;
    }
}
