using Npgsql;

namespace Mender.TestSupport;

/// <summary>
/// The PostgreSQL server that <c>.ci/postgres start</c> announces in <c>MENDER_TEST_POSTGRES</c>. Each test gets a
/// database of its own, so tests run side by side without seeing each other's jobs or silos.
/// Under <c>CI=true</c> a missing server is a failure, elsewhere the tests that need it are skipped.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "MENDER_TEST_POSTGRES";

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>Why a test that needs PostgreSQL cannot run here, or null when it can.</summary>
    public static string? SkipReason =>
        ConnectionString is not null || SharedData.IsCi
            ? null
            : $"{Variable} is not set; run `eval \"$(.ci/postgres start)\"` first (CI=true makes this a failure)";

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public static string CreateDatabase()
    {
        var server = ConnectionString ?? throw new InvalidOperationException(
            $"{Variable} is not set: .ci/run starts PostgreSQL with .ci/postgres and exports it; tests that need a server cannot run");
        var name = "mender_t_" + Guid.NewGuid().ToString("N")[..12];
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {name}";
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }
}

/// <summary>
/// A fact that needs PostgreSQL (and, with <see cref="Shared"/>, ../shared too): skipped with a clear message when
/// either is missing, unless CI=true, where the test runs and fails.
/// </summary>
public sealed class PostgresFactAttribute : Xunit.FactAttribute
{
    public PostgresFactAttribute() => Skip = TestPostgres.SkipReason;

    public bool Shared
    {
        get => field;
        set
        {
            field = value;
            Skip = TestPostgres.SkipReason ?? (value ? SharedData.SkipReason : null);
        }
    }
}
