using System.Net.Sockets;
using Npgsql;

namespace Mender.Cluster.Storage;

/// <summary>
/// The <c>--cluster</c> argument: a PostgreSQL connection string (<c>Host=…;Port=…;Username=…;Database=…</c>) naming
/// the database that holds the cluster's membership and its jobs. Parsing checks the text; <see cref="OpenAsync"/> checks
/// that the server answers, so a typo or a stopped server is one clear line before any work starts.
/// </summary>
public sealed class ClusterConnection : IDisposable
{
    /// <summary>Orleans' cluster and service id: every silo and client of one database is one cluster.</summary>
    public const string ClusterId = "mender";

    /// <summary>The ADO.NET provider name Orleans loads Npgsql by.</summary>
    public const string Invariant = "Npgsql";

    private ClusterConnection(string connectionString, NpgsqlDataSource source, string where)
    {
        ConnectionString = connectionString;
        Source = source;
        Where = where;
    }

    /// <summary>The Npgsql connection string, as Orleans' ADO.NET clustering takes it.</summary>
    public string ConnectionString { get; }

    internal NpgsqlDataSource Source { get; }

    /// <summary>host:port/database, for messages (never the password).</summary>
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
            throw new ArgumentException($"--cluster '{text}' is not a PostgreSQL connection string ({ex.Message.Split('\n')[0]}); expected Host=…;Port=…;Username=…;Database=…");
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new ArgumentException($"--cluster '{text}' names no Host; expected Host=…;Port=…;Username=…;Database=…");
        if (string.IsNullOrWhiteSpace(builder.Database))
            throw new ArgumentException($"--cluster '{text}' names no Database; expected Host=…;Port=…;Username=…;Database=…");
        return builder;
    }

    /// <summary>Connects once and applies the schema; an unreachable server is an <see cref="IOException"/> naming it.</summary>
    public static async Task<ClusterConnection> OpenAsync(string text, CancellationToken cancellationToken = default)
    {
        var builder = Parse(text);
        // A stopped server should fail fast, not after Npgsql's default 15 s.
        if (!text.Contains("Timeout", StringComparison.OrdinalIgnoreCase)) builder.Timeout = 5;
        var where = $"{builder.Host}:{builder.Port}/{builder.Database}";
        var source = NpgsqlDataSource.Create(builder.ConnectionString);
        try
        {
            await ClusterSchema.ApplyAsync(source, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"cannot reach the cluster's PostgreSQL at {where}: {Innermost(ex).Message}", ex);
        }
        return new ClusterConnection(builder.ConnectionString, source, where);
    }

    /// <summary>
    /// Silos that Orleans' membership table lists as active with a gateway. Checked before an Orleans client starts:
    /// with none, the client would retry for minutes before saying the same.
    /// </summary>
    public async Task<int> ActiveSilosAsync(CancellationToken cancellationToken)
    {
        // 3 is Orleans' SiloStatus.Active.
        await using var command = Source.CreateCommand(
            "SELECT COUNT(*) FROM OrleansMembershipTable WHERE DeploymentId = @cluster AND Status = 3 AND ProxyPort > 0");
        command.Parameters.AddWithValue("cluster", ClusterId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Closes the pooled connections.</summary>
    public void Dispose() => Source.Dispose();

    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;
}
