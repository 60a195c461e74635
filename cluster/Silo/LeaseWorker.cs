using Mender.Cluster.Jobs;
using Mender.Cluster.Storage;
using Mender.Preference.Extraction;
using Mender.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using System.Data.Common;

namespace Mender.Cluster.Silo;

/// <summary>
/// The silo's worker: while idle it looks for a running job, takes a lease of it, extracts the lease's users with the
/// same <see cref="ExtractionJob"/> a single-process run uses, writes the rows, and completes the lease. The lease is
/// renewed in the background at a third of its length; a silo that stops renewing (killed, frozen) loses it to the
/// next idle silo once it expires, and one that learns its lease was taken stops working on it.
/// </summary>
internal sealed class LeaseWorker(
    ClusterConnection connection, ClusterJobs jobs, LeaseStore leases, SiloExtractor hosted, SiloIdentity identity,
    SiloMetrics metrics, SiloFault fault, IHostApplicationLifetime lifetime, ILogger<LeaseWorker> log) : BackgroundService
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(500);

    private LoadedJob? loaded;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var job = await jobs.NextAsync(stoppingToken).ConfigureAwait(false);
                if (job is null || !await WorkOnAsync(job, stoppingToken).ConfigureAwait(false))
                    await Task.Delay(IdlePoll, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException)
        {
            fault.Set(ex);
            lifetime.StopApplication();
        }
        catch (DbException ex)
        {
            // Without the job tables a silo can do nothing; the lease in hand expires and another silo takes it.
            fault.Set(new IOException($"silo {identity.Name} lost the cluster's job tables at {connection.Where}: {ex.Message}", ex));
            lifetime.StopApplication();
        }
    }

    /// <summary>Takes and runs one lease of <paramref name="job"/>; false when none was free.</summary>
    private async Task<bool> WorkOnAsync(ClusterJob job, CancellationToken stoppingToken)
    {
        var loaded = await LoadAsync(job, stoppingToken).ConfigureAwait(false);
        var duration = TimeSpan.FromSeconds(job.LeaseSeconds);
        var lease = await leases.TakeAsync(job.Id, identity.Name, duration, stoppingToken).ConfigureAwait(false);
        if (lease is null) return false;
        metrics.LeaseTaken();
        log.LogInformation("{Silo} took lease {Lease} of {Job} (users {First}..{Last}, take {Takes})",
            identity.Name, lease.Number, job.Id, lease.FirstUser, lease.FirstUser + lease.UserCount - 1, lease.Takes);

        var users = loaded.Users.Skip(lease.FirstUser).Take(lease.UserCount).ToList();
        var rows = new ClusterPreferenceRows(connection, job, identity.Name, users.Select(u => u.ExternalId).ToList());
        using var held = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewing = RenewAsync(lease, duration, held);
        var done = false;
        try
        {
            await loaded.Extraction.RunAsync(rows, users, new MetricsProgress(metrics), held.Token).ConfigureAwait(false);
            done = await leases.CompleteAsync(lease, identity.Name, stoppingToken).ConfigureAwait(false);
            if (!done) log.LogWarning("{Silo} finished lease {Lease} of {Job} after it expired; its rows were upserted all the same", identity.Name, lease.Number, job.Id);
            await jobs.FinishIfDoneAsync(job.Id, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            log.LogWarning("{Silo} lost lease {Lease} of {Job} to expiry and stopped working on it", identity.Name, lease.Number, job.Id);
        }
        finally
        {
            await held.CancelAsync().ConfigureAwait(false);
            await renewing.ConfigureAwait(false);
            metrics.LeaseEnded(done);
        }
        return true;
    }

    private async Task RenewAsync(Lease lease, TimeSpan duration, CancellationTokenSource held)
    {
        try
        {
            while (true)
            {
                await Task.Delay(duration / 3, held.Token).ConfigureAwait(false);
                if (!await leases.RenewAsync(lease, identity.Name, duration, held.Token).ConfigureAwait(false))
                {
                    await held.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// The job's dataset and extraction, loaded once per job. A dataset that is not the submitter's fails the job for
    /// everyone (its rows would not be comparable); a job for another extractor stops only this silo.
    /// </summary>
    private async Task<LoadedJob> LoadAsync(ClusterJob job, CancellationToken stoppingToken)
    {
        if (loaded?.Job == job.Id) return loaded;
        Dataset dataset;
        try
        {
            dataset = DatasetLoader.Load(job.DatasetPath);
            DatasetFingerprint.Check(job.Fingerprint, dataset, job.DatasetPath, $"silo {identity.Name}");
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            await jobs.FailAsync(job.Id, ex.Message, stoppingToken).ConfigureAwait(false);
            throw;
        }
        var extractor = hosted.For(dataset);
        if (extractor.Name != job.Extractor || (extractor.Model ?? "") != (job.Model ?? ""))
            throw new InvalidDataException(
                $"job {job.Id} needs {Preference.Storage.PreferenceStore.Describe(job.Extractor, job.Model)}, but silo {identity.Name} hosts {hosted.Describe}; start silos with the job's --model");
        var extraction = new ExtractionJob(dataset, extractor, hosted.Prompts, job.Options.ToExtraction(hosted.Parallelism));
        return loaded = new LoadedJob(job.Id, extraction.Users(), extraction);
    }

    private sealed record LoadedJob(string Job, IReadOnlyList<User> Users, ExtractionJob Extraction);

    /// <summary>Adds each run's growth in finished prompts and tokens to the silo's counters (reports come from one writer).</summary>
    private sealed class MetricsProgress(SiloMetrics metrics) : IProgress<ExtractionProgress>
    {
        private ExtractionProgress? last;

        public void Report(ExtractionProgress value)
        {
            metrics.Prompts(value.Completed - (last?.Completed ?? 0), value.Failed - (last?.Failed ?? 0),
                value.InputTokens - (last?.InputTokens ?? 0), value.OutputTokens - (last?.OutputTokens ?? 0));
            last = value;
        }
    }
}
