using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Mender.Cluster.Storage;

/// <summary>
/// The <c>--cluster</c> argument: a PostgreSQL connection string (<c>Host=…;Port=…;Username=…;Database=…</c>) naming
/// the database that holds the cluster's membership and its jobs, or <c>localhost</c> for a cluster on this machine
/// (see <see cref="LocalCluster"/>). Parsing checks the text; <see cref="OpenAsync"/> checks that the database answers
/// and applies its schema, so a typo or a stopped server is one clear line before any work starts.
/// </summary>
public sealed class ClusterConnection : IDisposable
{
    /// <summary>Orleans' cluster and service id: every silo and client of one database is one cluster.</summary>
    public const string ClusterId = "mender";

    /// <summary>The ADO.NET provider name Orleans loads Npgsql by.</summary>
    public const string Invariant = "Npgsql";

    private ClusterConnection(string connectionString, DbDataSource source, string where, bool isLocal, ClusterStatements statements)
    {
        ConnectionString = connectionString;
        Source = source;
        Where = where;
        IsLocal = isLocal;
        Statements = statements;
    }

    /// <summary>The Npgsql connection string, as Orleans' ADO.NET clustering takes it (the SQLite file's for a local cluster).</summary>
    public string ConnectionString { get; }

    /// <summary>True for <c>--cluster localhost</c>: Orleans' development clustering and the job tables in a SQLite file.</summary>
    public bool IsLocal { get; }

    internal DbDataSource Source { get; }

    internal ClusterStatements Statements { get; }

    /// <summary>host:port/database, or the local cluster's file, for messages (never the password).</summary>
    public string Where { get; }

    /// <summary>Parses and checks <paramref name="text"/>; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string text)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(text);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ArgumentException($"--cluster '{text}' is not a PostgreSQL connection string ({ex.Message.Split('\n')[0]}); expected {Expected}");
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new ArgumentException($"--cluster '{text}' names no Host; expected {Expected}");
        if (string.IsNullOrWhiteSpace(builder.Database))
            throw new ArgumentException($"--cluster '{text}' names no Database; expected {Expected}");
        return builder;
    }

    private const string Expected = "Host=…;Port=…;Username=…;Database=… or localhost";

    /// <summary>
    /// Connects once and applies the schema; an unreachable server is an <see cref="IOException"/> naming it. For
    /// <c>localhost</c> the job tables are the SQLite file <see cref="LocalCluster.StorePath"/>.
    /// </summary>
    public static Task<ClusterConnection> OpenAsync(string text, CancellationToken cancellationToken = default) =>
        LocalCluster.Names(text) ? OpenLocalAsync(LocalCluster.StorePath, cancellationToken) : OpenPostgresAsync(text, cancellationToken);

    /// <summary>A localhost cluster whose job tables are the SQLite file <paramref name="path"/> (created if missing).</summary>
    public static async Task<ClusterConnection> OpenLocalAsync(string path, CancellationToken cancellationToken = default)
    {
        path = Path.GetFullPath(path);
        var (schema, statements) = ClusterStatements.Load("sqlite");
        // Silos on one machine write the file at once: WAL lets readers go on while one writes, and a writer that finds
        // the file busy retries for up to the command timeout.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 60, Pooling = true }.ToString();
        DbDataSource? source = null;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            source = SqliteFactory.Instance.CreateDataSource(connectionString);
            await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (var wal = connection.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode = WAL";
                await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = schema;
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Whatever ends the opening (a cancelled token too) closes the data source it made.
            if (source is not null) await source.DisposeAsync().ConfigureAwait(false);
            if (ex is SqliteException or IOException or UnauthorizedAccessException)
                throw new IOException($"cannot open the local cluster's job tables at '{path}': {ex.Message.Split('\n')[0]}", ex);
            throw;
        }
        return new ClusterConnection(connectionString, source, $"localhost ({path})", isLocal: true, statements);
    }

    private static async Task<ClusterConnection> OpenPostgresAsync(string text, CancellationToken cancellationToken)
    {
        var builder = Parse(text);
        // A stopped server should fail fast, not after Npgsql's default 15 s.
        if (!text.Contains("Timeout", StringComparison.OrdinalIgnoreCase)) builder.Timeout = 5;
        var where = $"{builder.Host}:{builder.Port}/{builder.Database}";
        var (schema, statements) = ClusterStatements.Load("postgres");
        var source = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            await ClusterSchema.ApplyAsync(source, schema, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await source.DisposeAsync().ConfigureAwait(false);
            if (ex is NpgsqlException or SocketException or TimeoutException)
                throw new IOException($"cannot reach the cluster's PostgreSQL at {where}: {Innermost(ex).Message}", ex);
            throw;
        }
        return new ClusterConnection(builder.ConnectionString, source, where, isLocal: false, statements);
    }

    /// <summary>
    /// Whether any silo is running, checked before an Orleans client starts: with none, the client would retry for
    /// minutes before saying the same. On PostgreSQL, Orleans' membership table lists the silos that are active with a
    /// gateway; on a local cluster, the first silo's gateway answers.
    /// </summary>
    public async Task<bool> AnySiloAsync(CancellationToken cancellationToken)
    {
        if (IsLocal) return await LocalCluster.GatewayAnswersAsync(cancellationToken).ConfigureAwait(false);
        // 3 is Orleans' SiloStatus.Active.
        await using var command = Source.CreateCommand(
            "SELECT COUNT(*) FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Status = 3 AND ProxyPort > 0");
        var cluster = command.CreateParameter();
        (cluster.ParameterName, cluster.Value) = ("@cluster", ClusterId);
        command.Parameters.Add(cluster);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>A time as this database stores it: timestamptz on PostgreSQL, ISO 8601 text (as the SQLite store keeps it) locally.</summary>
    internal object? Time(DateTimeOffset? time) =>
        time is not { } value ? null : IsLocal ? value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) : value.ToUniversalTime();

    /// <summary>Closes the pooled connections.</summary>
    public void Dispose() => Source.Dispose();

    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;
}
