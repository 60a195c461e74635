using Mender.Cluster.Grains;
using Mender.Cluster.Jobs;
using Mender.Cluster.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Mender.Cluster;

/// <summary>
/// The submitting side: hands a planned job to its grain through an Orleans client, then follows it until every
/// lease is done. Progress is read from the job tables rather than through the grain, so it keeps flowing while the
/// silo holding the grain's activation is down.
/// </summary>
public static class ClusterExtraction
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>Submits (or resumes) the job and returns its final progress; a failed job throws its reason.</summary>
    public static async Task<JobProgress> RunAsync(ClusterConnection connection, JobRequest request, Action<JobProgress> progress,
        CancellationToken cancellationToken)
    {
        if (await connection.ActiveSilosAsync(cancellationToken).ConfigureAwait(false) == 0)
            throw new IOException($"no silo of the cluster at {connection.Where} is running; start one with `mender cluster silo --cluster …`");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterConnection.ClusterId, ClusterConnection.ClusterId));
            client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (ClusterConnection.Invariant, connection.ConnectionString));
        });
        using var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OrleansException or SiloUnavailableException)
        {
            throw new IOException($"no silo of the cluster at {connection.Where} answers; start one with `mender cluster silo --cluster …` ({ex.Message.Split('\n')[0]})", ex);
        }
        var grain = host.Services.GetRequiredService<IClusterClient>().GetGrain<IExtractionJobGrain>(request.Id);
        var state = await grain.SubmitAsync(request).ConfigureAwait(false);
        var jobs = new ClusterJobs(connection);
        while (state.Status == "running")
        {
            progress(state);
            await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            state = await jobs.ProgressAsync(request.Id, cancellationToken).ConfigureAwait(false);
        }
        progress(state);
        await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (state.Status == "failed")
            throw new InvalidDataException($"job {request.Id} failed: {state.Error}");
        return state;
    }
}
