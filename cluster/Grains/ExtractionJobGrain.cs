using Mender.Cluster.Jobs;

namespace Mender.Cluster.Grains;

/// <summary>
/// Keeps no state of its own: the job lives in PostgreSQL, where the silos' lease workers read it, so an activation
/// lost with its silo is rebuilt anywhere from the same rows.
/// </summary>
internal sealed class ExtractionJobGrain(ClusterJobs jobs) : Grain, IExtractionJobGrain
{
    public async Task<JobProgress> SubmitAsync(JobRequest request)
    {
        if (request.Id != this.GetPrimaryKeyString())
            throw new ArgumentException($"job {request.Id} was sent to the grain of job {this.GetPrimaryKeyString()}");
        await jobs.CreateAsync(request, CancellationToken.None);
        return await ProgressAsync();
    }

    public Task<JobProgress> ProgressAsync() => jobs.ProgressAsync(this.GetPrimaryKeyString(), CancellationToken.None);
}
