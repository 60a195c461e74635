using Mender.Cluster.Grains;
using Mender.Cluster.Jobs;
using Mender.Cluster.Storage;
using Orleans.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Mender.Cluster;

/// <summary>
/// The submitting side: hands a planned job to its grain through an Orleans client, then follows it until every
/// lease is done. Progress is read from the job tables rather than through the grain, so it keeps flowing while the
/// silo holding the grain's activation is down.
/// </summary>
public static class ClusterExtraction
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SubmitPatience = TimeSpan.FromMinutes(2);

    /// <summary>Submits (or resumes) the job and returns its final progress; a failed job throws its reason.</summary>
    public static async Task<JobProgress> RunAsync(ClusterConnection connection, JobRequest request, Action<JobProgress> progress,
        CancellationToken cancellationToken)
    {
        using var host = await ClusterClient.ConnectAsync(connection, CallTimeout, cancellationToken).ConfigureAwait(false);
        var grain = host.Services.GetRequiredService<IClusterClient>().GetGrain<IExtractionJobGrain>(request.Id);
        var state = await SubmitAsync(grain, request, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Hands the job to its grain. A silo killed a moment ago may still hold the grain's activation until the cluster
    /// declares it dead, and then the grain activates on another silo; submitting is idempotent, so it is asked again
    /// until then.
    /// </summary>
    private static async Task<JobProgress> SubmitAsync(IExtractionJobGrain grain, JobRequest request, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await grain.SubmitAsync(request).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OrleansMessageRejectionException or SiloUnavailableException && clock.Elapsed < SubmitPatience)
            {
                await Task.Delay(Poll, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
