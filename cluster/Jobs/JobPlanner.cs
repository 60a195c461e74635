using System.Security.Cryptography;
using System.Text;
using Mender.Preference.Extraction;
using Mender.Data;

namespace Mender.Cluster.Jobs;

/// <summary>
/// Splits a job's users, in the order of the single-process plan, into leases of <c>leaseUsers</c> users each.
/// A lease is the unit a silo takes, renews and completes; small leases spread work evenly and lose little to a crash,
/// large ones cost fewer database round trips.
/// </summary>
public static class JobPlanner
{
    /// <summary>The job request for extracting <paramref name="dataset"/> with these options, split into leases.</summary>
    public static JobRequest Plan(Dataset dataset, string datasetPath, ExtractionOptions options,
        string extractor, string? model, int leaseUsers, int leaseSeconds)
    {
        if (leaseUsers < 1) throw new ArgumentException($"--lease-users must be at least 1 (got {leaseUsers})");
        if (leaseSeconds < 5) throw new ArgumentException($"--lease-seconds must be at least 5 (got {leaseSeconds}); shorter leases expire while they are renewed");
        var users = options.UsersOf(dataset);
        var leases = new List<LeasePlan>();
        for (var first = 0; first < users.Count; first += leaseUsers)
        {
            var count = Math.Min(leaseUsers, users.Count - first);
            var prompts = 0;
            for (var i = first; i < first + count; i++) prompts += options.Schedule.Steps(users[i]).Count();
            leases.Add(new LeasePlan(first, count, prompts));
        }
        var fingerprint = DatasetFingerprint.Of(dataset);
        var optionsJson = JobOptions.From(options).ToJson();
        var id = JobId(fingerprint, extractor, model, optionsJson, leaseUsers);
        return new JobRequest(id, dataset.Name, Path.GetFullPath(datasetPath), fingerprint, extractor, model, optionsJson,
            users.Count, leases.Sum(l => l.Prompts), leaseSeconds, leases);
    }

    // The lease size is part of the id: leases of another size are another split, not a resumable one.
    private static string JobId(string fingerprint, string extractor, string? model, string options, int leaseUsers)
    {
        var key = string.Join('\n', fingerprint, extractor, model ?? "", options, leaseUsers);
        return "job-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16];
    }
}
