using Mender.Cluster.Jobs;
using Mender.Cluster.Storage;
using Mender.Preference.Extraction;
using Mender.Data.Demo;

namespace Mender.Cluster.Tests;

public sealed class LeaseStoreTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mender-cluster-leases-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [PostgresFact]
    public async Task ALeaseIsHeldByOneSiloAndRetakenOnlyAfterItExpires()
    {
        using var connection = await ClusterConnection.OpenAsync(TestPostgres.CreateDatabase());
        await LeaseIsHeldByOneSiloAndRetakenOnlyAfterItExpires(connection);
    }

    [Fact]
    public async Task ALocalClustersLeaseIsHeldByOneSiloAndRetakenOnlyAfterItExpires()
    {
        using var connection = await ClusterConnection.OpenLocalAsync(Path.Combine(folder, "cluster.db"));
        await LeaseIsHeldByOneSiloAndRetakenOnlyAfterItExpires(connection);
    }

    private static async Task LeaseIsHeldByOneSiloAndRetakenOnlyAfterItExpires(ClusterConnection connection)
    {
        var dataset = DemoWorld.Generate(new DemoWorldOptions { Users = 20, Items = 60 }).Dataset;
        var request = JobPlanner.Plan(dataset, "/data/demo", new ExtractionOptions(), "builtin-lexicon-v1", null, leaseUsers: 10, leaseSeconds: 5);
        Assert.Equal(2, request.Leases.Count);
        await new ClusterJobs(connection).CreateAsync(request, CancellationToken.None);
        var leases = new LeaseStore(connection);
        // Long enough that a busy machine cannot let a's lease expire before c is refused it.
        var brief = TimeSpan.FromSeconds(3);

        var a = await leases.TakeAsync(request.Id, "a", brief, CancellationToken.None);
        var b = await leases.TakeAsync(request.Id, "b", TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.NotEqual(a.Number, b.Number);
        Assert.Null(await leases.TakeAsync(request.Id, "c", brief, CancellationToken.None));

        await Task.Delay(brief + TimeSpan.FromSeconds(0.5));
        var retaken = await leases.TakeAsync(request.Id, "c", TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal((a.Number, 2), (retaken?.Number, retaken?.Takes));
        Assert.False(await leases.RenewAsync(a, "a", brief, CancellationToken.None));
        Assert.False(await leases.CompleteAsync(a, "a", CancellationToken.None));
        Assert.True(await leases.CompleteAsync(retaken!, "c", CancellationToken.None));
        Assert.True(await leases.RenewAsync(b, "b", brief, CancellationToken.None));
    }

    [PostgresFact]
    public async Task ResubmittingAJobKeepsItsLeasesAndRows()
    {
        using var connection = await ClusterConnection.OpenAsync(TestPostgres.CreateDatabase());
        await ResubmittingKeepsLeasesAndRows(connection);
    }

    [Fact]
    public async Task ResubmittingAJobToALocalClusterKeepsItsLeasesAndRows()
    {
        using var connection = await ClusterConnection.OpenLocalAsync(Path.Combine(folder, "cluster.db"));
        await ResubmittingKeepsLeasesAndRows(connection);
    }

    private static async Task ResubmittingKeepsLeasesAndRows(ClusterConnection connection)
    {
        var dataset = DemoWorld.Generate(new DemoWorldOptions { Users = 20, Items = 60 }).Dataset;
        var request = JobPlanner.Plan(dataset, "/data/demo", new ExtractionOptions(), "builtin-lexicon-v1", null, leaseUsers: 10, leaseSeconds: 5);
        var jobs = new ClusterJobs(connection);
        await jobs.CreateAsync(request, CancellationToken.None);
        var leases = new LeaseStore(connection);
        var taken = await leases.TakeAsync(request.Id, "a", TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.True(await leases.CompleteAsync(taken!, "a", CancellationToken.None));

        await jobs.CreateAsync(request, CancellationToken.None);
        var progress = await jobs.ProgressAsync(request.Id, CancellationToken.None);
        Assert.Equal((2, 1, request.Prompts, "running"), (progress.Leases, progress.LeasesDone, progress.Prompts, progress.Status));
    }
}
