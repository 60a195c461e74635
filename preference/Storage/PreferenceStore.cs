using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Mender.Preference.Sentiment;
using Microsoft.Data.Sqlite;

namespace Mender.Preference.Storage;

/// <summary>
/// The preference store, <c>preferences.db</c> (SQLite in WAL mode): one row per (user, step). A row is written
/// <c>running</c> when its prompt is sent and <c>completed</c> or <c>failed</c> the moment its answer is in, each in a
/// committed transaction, so a killed run loses nothing that finished; the next run skips finished rows and redoes
/// running ones. A store belongs to one dataset and one extractor (and model): mixing them in one table would make
/// its rows incomparable, so opening it for another is refused.
/// </summary>
public sealed class PreferenceStore : IStepStore, IDisposable
{
    /// <summary>The store's file name inside its directory.</summary>
    public const string FileName = "preferences.db";
    private const int SchemaVersion = 1;

    private readonly SqliteConnection connection;
    private SqliteCommand? upsert;

    private PreferenceStore(string path, SqliteConnection connection)
    {
        Path = path;
        this.connection = connection;
    }

    /// <summary>The store's database file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating when needed) the store in <paramref name="directory"/>.</summary>
    public static PreferenceStore Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, FileName));
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                PRAGMA busy_timeout = 10000;
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS preferences (
                    user TEXT NOT NULL,
                    user_index INTEGER NOT NULL,
                    step INTEGER NOT NULL,
                    window_start INTEGER NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
                    preferences TEXT NOT NULL DEFAULT '[]',
                    sentiments TEXT NOT NULL DEFAULT '[]',
                    sentiment_by TEXT,
                    extractor TEXT NOT NULL,
                    model TEXT,
                    prompt_hash TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    error TEXT,
                    input_tokens INTEGER NOT NULL DEFAULT 0,
                    output_tokens INTEGER NOT NULL DEFAULT 0,
                    started_at TEXT NOT NULL,
                    completed_at TEXT,
                    fitting TEXT,
                    PRIMARY KEY (user, step)
                );
                CREATE INDEX IF NOT EXISTS preferences_status ON preferences (status);
                """);
            AddFittingColumn(connection);
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new InvalidDataException($"'{path}' is not a usable preference store: {ex.Message}", ex);
        }
        var store = new PreferenceStore(path, connection);
        var version = store.GetMeta("schema_version");
        if (version is null) store.SetMeta("schema_version", SchemaVersion.ToString(CultureInfo.InvariantCulture));
        else if (version != SchemaVersion.ToString(CultureInfo.InvariantCulture))
            throw new InvalidDataException($"preference store '{path}' has schema version {version}; this build reads version {SchemaVersion}");
        return store;
    }

    /// <summary>Stores written before prompts were fitted to the context lack the column; adding it keeps their rows.</summary>
    private static void AddFittingColumn(SqliteConnection connection)
    {
        using var columns = connection.CreateCommand();
        columns.CommandText = "SELECT COUNT(*) FROM pragma_table_info('preferences') WHERE name = 'fitting'";
        if (Convert.ToInt64(columns.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            Execute(connection, "ALTER TABLE preferences ADD COLUMN fitting TEXT");
    }

    /// <summary>Opens an existing store read-only in spirit: throws when the folder holds none.</summary>
    public static PreferenceStore OpenExisting(string directory)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        if (!File.Exists(path))
            throw new PreferenceStoreMissingException(directory, path);
        return Open(directory);
    }

    /// <summary>The dataset the store was filled from; null before the first run binds it.</summary>
    public string? Dataset => GetMeta("dataset");
    /// <summary>The extractor that wrote the preferences; null before the first run binds it.</summary>
    public string? Extractor => GetMeta("extractor");
    /// <summary>The model the extractor used; null when it used none.</summary>
    public string? Model => GetMeta("model") is { Length: > 0 } model ? model : null;

    /// <summary>Claims the store for a dataset and extractor, or checks that it already belongs to them.</summary>
    public void Bind(string dataset, string extractor, string? model)
    {
        var (boundDataset, boundExtractor, boundModel) = (Dataset, Extractor, Model);
        if (boundDataset is null)
        {
            // The dataset key goes last: a store counts as bound only once every key is in.
            SetMeta("extractor", extractor);
            SetMeta("model", model ?? "");
            SetMeta("created_at", Now());
            SetMeta("dataset", dataset);
            return;
        }
        if (boundDataset != dataset)
            throw new PreferenceStoreMismatchException(Path, $"preference store '{Path}' holds dataset '{boundDataset}', not '{dataset}'");
        if (boundExtractor != extractor || (boundModel ?? "") != (model ?? ""))
            throw new PreferenceStoreMismatchException(Path,
                $"preference store '{Path}' was made by {Describe(boundExtractor, boundModel)}; this run uses {Describe(extractor, model)}");
    }

    /// <summary>The rows no run needs to do again: completed or failed.</summary>
    public Dictionary<(string User, int Step), StepStatus> FinishedSteps()
    {
        var finished = new Dictionary<(string, int), StepStatus>();
        using var command = Command("SELECT user, step, status FROM preferences WHERE status IN ('completed', 'failed')");
        using var reader = command.ExecuteReader();
        while (reader.Read())
            finished[(reader.GetString(0), reader.GetInt32(1))] = reader.GetString(2) == "completed" ? StepStatus.Completed : StepStatus.Failed;
        return finished;
    }

    /// <summary>Writes a batch of rows (claims or results) in one committed transaction; a later row for the same (user, step) wins.</summary>
    public void Write(IReadOnlyCollection<StoredStep> rows)
    {
        if (rows.Count == 0) return;
        using var transaction = this.connection.BeginTransaction();
        var upsert = this.upsert ??= PrepareUpsert();
        upsert.Transaction = transaction;
        var last = new Dictionary<(string, int), StoredStep>(rows.Count);
        foreach (var row in rows) last[(row.User, row.Step)] = row;
        var p = upsert.Parameters;
        foreach (var row in last.Values)
        {
            p["$user"].Value = row.User;
            p["$user_index"].Value = row.UserIndex;
            p["$step"].Value = row.Step;
            p["$window_start"].Value = row.WindowStart;
            p["$status"].Value = StatusName(row.Status);
            p["$preferences"].Value = TextsJson(row.Preferences);
            p["$sentiments"].Value = SentimentsJson(row.Preferences);
            p["$sentiment_by"].Value = (object?)row.SentimentBy ?? DBNull.Value;
            p["$extractor"].Value = row.Extractor;
            p["$model"].Value = (object?)row.Model ?? DBNull.Value;
            p["$prompt_hash"].Value = row.PromptHash;
            p["$attempts"].Value = row.Attempts;
            p["$error"].Value = (object?)row.Error ?? DBNull.Value;
            p["$input_tokens"].Value = row.InputTokens;
            p["$output_tokens"].Value = row.OutputTokens;
            p["$started_at"].Value = row.StartedAt.ToString("O", CultureInfo.InvariantCulture);
            p["$completed_at"].Value = row.CompletedAt is { } done ? done.ToString("O", CultureInfo.InvariantCulture) : DBNull.Value;
            p["$fitting"].Value = (object?)row.Fitting ?? DBNull.Value;
            upsert.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private SqliteCommand PrepareUpsert()
    {
        var command = Command("""
            INSERT INTO preferences (user, user_index, step, window_start, status, preferences, sentiments, sentiment_by, extractor, model,
                                     prompt_hash, attempts, error, input_tokens, output_tokens, started_at, completed_at, fitting)
            VALUES ($user, $user_index, $step, $window_start, $status, $preferences, $sentiments, $sentiment_by, $extractor, $model,
                    $prompt_hash, $attempts, $error, $input_tokens, $output_tokens, $started_at, $completed_at, $fitting)
            ON CONFLICT (user, step) DO UPDATE SET
                user_index = excluded.user_index, window_start = excluded.window_start, status = excluded.status,
                preferences = excluded.preferences, sentiments = excluded.sentiments, sentiment_by = excluded.sentiment_by,
                extractor = excluded.extractor, model = excluded.model, prompt_hash = excluded.prompt_hash, attempts = excluded.attempts,
                error = excluded.error, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
                started_at = excluded.started_at, completed_at = excluded.completed_at, fitting = excluded.fitting
            """);
        foreach (var name in new[] { "user", "user_index", "step", "window_start", "status", "preferences", "sentiments", "sentiment_by", "extractor",
                     "model", "prompt_hash", "attempts", "error", "input_tokens", "output_tokens", "started_at", "completed_at", "fitting" })
            command.Parameters.Add(new SqliteParameter("$" + name, null));
        return command;
    }

    /// <summary>All rows, or one user's, ordered by user index and step.</summary>
    public List<StoredStep> Rows(string? user = null)
    {
        using var command = Command("""
            SELECT user, user_index, step, window_start, status, preferences, sentiments, sentiment_by, extractor, model, prompt_hash,
                   attempts, error, input_tokens, output_tokens, started_at, completed_at, fitting
            FROM preferences WHERE $user IS NULL OR user = $user ORDER BY user_index, step
            """);
        command.Parameters.AddWithValue("$user", (object?)user ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var rows = new List<StoredStep>();
        while (reader.Read()) rows.Add(ReadRow(reader, $"'{Path}'"));
        return rows;
    }

    /// <summary>
    /// One row from a reader whose columns are those of <see cref="Rows"/>, in that order, times as ISO 8601 text;
    /// the cluster's table is read with the same columns. <paramref name="source"/> names the store in errors.
    /// </summary>
    public static StoredStep ReadRow(DbDataReader reader, string source)
    {
        var where = $"row (user '{reader.GetString(0)}', step {reader.GetInt32(2)}) of {source}";
        return new StoredStep(
            reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3),
            ParseStatus(reader.GetString(4), where),
            ReadPreferences(reader.GetString(5), reader.GetString(6), where),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.GetString(8),
            reader.IsDBNull(9) ? null : reader.GetString(9),
            reader.GetString(10), reader.GetInt32(11),
            reader.IsDBNull(12) ? null : reader.GetString(12),
            reader.GetInt64(13), reader.GetInt64(14),
            DateTimeOffset.Parse(reader.GetString(15), CultureInfo.InvariantCulture),
            reader.IsDBNull(16) ? null : DateTimeOffset.Parse(reader.GetString(16), CultureInfo.InvariantCulture),
            reader.IsDBNull(17) ? null : reader.GetString(17));
    }

    /// <summary>Row counts by status.</summary>
    public (int Running, int Completed, int Failed) Counts()
    {
        using var command = Command("SELECT status, COUNT(*) FROM preferences GROUP BY status");
        using var reader = command.ExecuteReader();
        int running = 0, completed = 0, failed = 0;
        while (reader.Read())
        {
            var count = reader.GetInt32(1);
            switch (reader.GetString(0))
            {
                case "running": running = count; break;
                case "completed": completed = count; break;
                case "failed": failed = count; break;
            }
        }
        return (running, completed, failed);
    }

    /// <summary>The completed rows as an in-memory table for matching.</summary>
    public PreferenceTable LoadTable() =>
        new(Rows().Where(r => r.Status == StepStatus.Completed), Dataset, Extractor, Model);

    /// <summary>Closes the database connection.</summary>
    public void Dispose()
    {
        this.upsert?.Dispose();
        this.connection.Dispose();
    }

    /// <summary>The status as the store's text column holds it.</summary>
    public static string StatusName(StepStatus status) => status switch
    {
        StepStatus.Running => "running",
        StepStatus.Completed => "completed",
        _ => "failed",
    };

    /// <summary>Reads a stored status; throws, naming <paramref name="where"/>, on an unknown one.</summary>
    public static StepStatus ParseStatus(string text, string where) => text switch
    {
        "running" => StepStatus.Running,
        "completed" => StepStatus.Completed,
        "failed" => StepStatus.Failed,
        _ => throw new InvalidDataException($"{where} has unknown status '{text}'"),
    };

    /// <summary>The preference texts as the store's JSON column holds them (the cluster's table holds the same).</summary>
    public static string TextsJson(IReadOnlyList<UserPreference> preferences) => JsonSerializer.Serialize(preferences.Select(x => x.Text));

    /// <summary>The sentiments, parallel to <see cref="TextsJson"/>.</summary>
    public static string SentimentsJson(IReadOnlyList<UserPreference> preferences) => JsonSerializer.Serialize(preferences.Select(x => x.Sentiment.ToName()));

    private static IReadOnlyList<UserPreference> ReadPreferences(string textsJson, string sentimentsJson, string where)
    {
        try
        {
            var texts = JsonSerializer.Deserialize<string[]>(textsJson) ?? [];
            var sentiments = JsonSerializer.Deserialize<string[]>(sentimentsJson) ?? [];
            if (texts.Length != sentiments.Length)
                throw new InvalidDataException($"{where} has {texts.Length} preference(s) but {sentiments.Length} sentiment(s)");
            var preferences = new UserPreference[texts.Length];
            for (var i = 0; i < texts.Length; i++)
            {
                if (!PreferenceSentimentNames.TryParse(sentiments[i], out var sentiment))
                    throw new InvalidDataException($"{where} has unknown sentiment '{sentiments[i]}'");
                preferences[i] = new UserPreference(texts[i], sentiment);
            }
            return preferences;
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{where} holds malformed JSON: {ex.Message}", ex);
        }
    }

    private string? GetMeta(string key)
    {
        using var command = Command("SELECT value FROM meta WHERE key = $key");
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() as string;
    }

    private void SetMeta(string key, string value)
    {
        using var command = Command("INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql)
    {
        var command = this.connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The extractor and model in words, for messages.</summary>
    public static string Describe(string? extractor, string? model) =>
        string.IsNullOrEmpty(model) ? $"'{extractor}'" : $"'{extractor}' with model '{model}'";

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
}
