using Mender.Cluster.Jobs;

namespace Mender.Cluster.Grains;

/// <summary>
/// The cluster's handle on one extraction job, keyed by the job id. Orleans keeps one activation per job on some silo
/// (another when that silo dies), so submissions of the same job from several places are serialized through it.
/// </summary>
public interface IExtractionJobGrain : IGrainWithStringKey
{
    /// <summary>Records the job and its leases unless they exist (then it resumes); returns where it stands.</summary>
    Task<JobProgress> SubmitAsync(JobRequest request);

    /// <summary>Where the job stands now.</summary>
    Task<JobProgress> ProgressAsync();
}
