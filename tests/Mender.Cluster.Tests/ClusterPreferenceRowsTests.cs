using Mender.Cluster.Jobs;
using Mender.Cluster.Storage;
using Mender.Preference.Extraction;
using Mender.Preference.Lexicon;
using Mender.Preference.Prompts;
using Mender.Preference.Storage;
using Mender.Data.Demo;

namespace Mender.Cluster.Tests;

public sealed class ClusterPreferenceRowsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mender-cluster-rows-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [PostgresFact]
    public async Task LeasesRunTwiceWriteEachRowOnceAndExportAsTheSingleProcessStore()
    {
        using var connection = await ClusterConnection.OpenAsync(TestPostgres.CreateDatabase());
        await LeasesRunTwiceWriteEachRowOnce(connection);
    }

    [Fact]
    public async Task OnALocalClusterLeasesRunTwiceWriteEachRowOnceAndExportAsTheSingleProcessStore()
    {
        using var connection = await ClusterConnection.OpenLocalAsync(Path.Combine(folder, "cluster.db"));
        await LeasesRunTwiceWriteEachRowOnce(connection);
    }

    private async Task LeasesRunTwiceWriteEachRowOnce(ClusterConnection connection)
    {
        var dataset = DemoWorld.Generate(new DemoWorldOptions { Users = 30, Items = 80 }).Dataset;
        var extractor = LexiconPreferenceExtractor.For(dataset);
        var options = new ExtractionOptions { Parallelism = 2 };
        var request = JobPlanner.Plan(dataset, "/data/demo", options, extractor.Name, null, leaseUsers: 7, leaseSeconds: 30);
        await new ClusterJobs(connection).CreateAsync(request, CancellationToken.None);
        var job = new ClusterJob(request.Id, dataset.Name, request.DatasetPath, request.Fingerprint, extractor.Name, null, JobOptions.From(options), 30);
        var extraction = new ExtractionJob(dataset, extractor, PromptLibrary.Load(), options);
        var users = extraction.Users();

        // Every lease twice, as when a silo dies after writing and its lease is redone elsewhere.
        foreach (var _ in new[] { 1, 2 })
            foreach (var lease in request.Leases)
            {
                var slice = users.Skip(lease.FirstUser).Take(lease.UserCount).ToList();
                var rows = new ClusterPreferenceRows(connection, job, "s1", slice.Select(u => u.ExternalId).ToList());
                await extraction.RunAsync(rows, slice);
            }

        var progress = await new ClusterJobs(connection).ProgressAsync(request.Id, CancellationToken.None);
        Assert.Equal(request.Prompts, progress.Done);
        // Written within the last second: the pace counts from the first prompt, not over the whole 20 s window.
        var pace = Assert.Single(progress.Silos);
        Assert.Equal("s1", pace.Silo);
        Assert.True(pace.PromptsPerSecond > request.Prompts / (double)JobProgress.RateWindowSeconds, $"{pace.PromptsPerSecond} prompts/s");

        using var exported = PreferenceStore.Open(Path.Combine(folder, "cluster"));
        Assert.Equal(request.Prompts, await ClusterPreferenceRows.ExportAsync(connection, request.Id, exported, dataset.Name, extractor.Name, null, CancellationToken.None));
        using var single = PreferenceStore.Open(Path.Combine(folder, "single"));
        await extraction.RunAsync(single);
        Assert.Equal(Comparable(single), Comparable(exported));
    }

    [PostgresFact]
    public async Task AnotherExtractorThanTheJobsIsRefused()
    {
        using var connection = await ClusterConnection.OpenAsync(TestPostgres.CreateDatabase());
        var job = new ClusterJob("job-x", "demo", "/data/demo", "f", "llm-json-v1", "qwen", JobOptions.From(new ExtractionOptions()), 30);
        var rows = new ClusterPreferenceRows(connection, job, "s1", []);
        var error = Assert.Throws<InvalidDataException>(() => rows.Bind("demo", "builtin-lexicon-v1", null));
        Assert.Equal("job job-x is extracted by 'llm-json-v1' with model 'qwen'; this silo hosts 'builtin-lexicon-v1'", error.Message);
    }

    private static List<string> Comparable(PreferenceStore store) =>
        store.Rows().Select(r => string.Join('|', r.User, r.UserIndex, r.Step, r.WindowStart, r.Status, string.Join(';', r.Preferences),
            r.SentimentBy, r.Extractor, r.Model, r.PromptHash, r.Attempts, r.Error, r.Fitting)).ToList();
}
