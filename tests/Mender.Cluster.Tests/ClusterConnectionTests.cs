using System.Net;
using System.Net.Sockets;
using Mender.Cluster.Storage;

namespace Mender.Cluster.Tests;

public class ClusterConnectionTests
{
    [Theory]
    [InlineData("postgres://localhost/db")]
    [InlineData("Port=5432;Database=x")]
    [InlineData("Host=127.0.0.1;Username=u")]
    public void AWrongConnectionStringNamesWhatIsWrong(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => ClusterConnection.Parse(text));
        Assert.StartsWith($"--cluster '{text}'", error.Message);
        Assert.Contains("Host=…;Port=…;Username=…;Database=…", error.Message);
    }

    [Fact]
    public async Task AnUnreachableServerIsOneLineNamingIt()
    {
        var port = ClosedPort();
        var error = await Assert.ThrowsAsync<IOException>(() =>
            ClusterConnection.OpenAsync($"Host=127.0.0.1;Port={port};Username=u;Database=jobs"));
        Assert.StartsWith($"cannot reach the cluster's PostgreSQL at 127.0.0.1:{port}/jobs:", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [PostgresFact]
    public async Task TheSchemaAppliesTwiceAndFromSeveralProcessesAtOnce()
    {
        var database = TestPostgres.CreateDatabase();
        var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ClusterConnection.OpenAsync(database)));
        foreach (var connection in opened) connection.Dispose();
        using var again = await ClusterConnection.OpenAsync(database);
        await using var command = again.Source.CreateCommand("SELECT COUNT(*) FROM OrleansQuery");
        Assert.Equal(9L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task ALocalClustersTablesApplyFromSeveralProcessesAtOnceAndKeepTheirRows()
    {
        var folder = Directory.CreateTempSubdirectory("mender-local-cluster-").FullName;
        try
        {
            var path = Path.Combine(folder, "nested", "cluster.db");
            var opened = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ClusterConnection.OpenLocalAsync(path)));
            Assert.All(opened, c => Assert.True(c.IsLocal));
            await using (var insert = opened[0].Source.CreateCommand(
                "INSERT INTO mender_jobs (job_id, dataset_name, dataset_path, fingerprint, extractor, options, users, prompts, leases, lease_seconds) VALUES ('j', 'd', '/d', 'f', 'e', '{}', 1, 1, 1, 30)"))
                await insert.ExecuteNonQueryAsync();
            foreach (var connection in opened) connection.Dispose();
            using var again = await ClusterConnection.OpenLocalAsync(path);
            Assert.Equal($"localhost ({path})", again.Where);
            await using var command = again.Source.CreateCommand("SELECT COUNT(*) FROM mender_jobs");
            Assert.Equal(1L, await command.ExecuteScalarAsync());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ALocalClusterWhoseFileCannotBeCreatedIsOneLineNamingIt()
    {
        var path = Path.Combine("/proc", "mender-cannot-be-here", "cluster.db");
        var error = await Assert.ThrowsAsync<IOException>(() => ClusterConnection.OpenLocalAsync(path));
        Assert.StartsWith($"cannot open the local cluster's job tables at '{path}': ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void LocalhostNamesTheLocalCluster()
    {
        Assert.True(LocalCluster.Names("localhost"));
        Assert.True(LocalCluster.Names(" LocalHost "));
        Assert.False(LocalCluster.Names("Host=localhost;Database=x"));
    }

    /// <summary>A loopback port nothing listens on: one the kernel just handed out and that was closed again.</summary>
    internal static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
