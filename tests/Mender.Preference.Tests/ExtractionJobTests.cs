using Mender.Preference.Extraction;
using Mender.Preference.Lexicon;
using Mender.Preference.Prompts;
using Mender.Preference.Storage;

namespace Mender.Preference.Tests;

public class ExtractionJobTests
{
    /// <summary>
    /// Wraps the built-in extractor, counting calls and optionally cancelling the run after a number of them. Like a model's
    /// extractor it honours the token; the lock makes "cancelled after call n" exact even when a worker is preempted between
    /// counting and cancelling, which on a busy machine let the other worker answer more prompts than the test allowed for.
    /// </summary>
    private sealed class CountingExtractor(int cancelAfter = int.MaxValue, CancellationTokenSource? cancel = null) : IPreferenceExtractor
    {
        private readonly LexiconPreferenceExtractor inner = new();
        private readonly Lock gate = new();
        private int calls;
        public int Calls => this.calls;
        public string Name => inner.Name;
        public string? Model => null;
        public bool IsDeterministic => true;

        public bool Fits(string prompt) => true;

        public Task<ExtractionAttempt> ExtractAsync(ReviewWindow window, string prompt, int attempt, CancellationToken cancellationToken)
        {
            lock (gate)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (++this.calls == cancelAfter) cancel!.Cancel();
            }
            return inner.ExtractAsync(window, prompt, attempt, cancellationToken);
        }
    }

    /// <summary>The stored table without its timestamps: what two runs must agree on.</summary>
    private static List<string> Table(string folder)
    {
        using var store = PreferenceStore.OpenExisting(folder);
        return store.Rows().Select(r => string.Join('|', r.User, r.Step, r.WindowStart, r.Status, string.Join(';', r.Preferences),
            r.SentimentBy, r.Extractor, r.Model, r.PromptHash, r.Attempts, r.Error)).ToList();
    }

    private static async Task<ExtractionSummary> Run(Mender.Data.Dataset dataset, string folder, IPreferenceExtractor extractor,
        ExtractionOptions? options = null, CancellationToken cancellation = default)
    {
        using var store = PreferenceStore.Open(folder);
        return await new ExtractionJob(dataset, extractor, PromptLibrary.Load(), options ?? new ExtractionOptions { Parallelism = 2 })
            .RunAsync(store, null, cancellation);
    }

    [Fact]
    public async Task RunWritesOneRowPerPlannedStep()
    {
        using var folder = new TempFolder();
        var dataset = Fixtures.Dataset(users: 6, historyLength: 23);
        var progress = new List<ExtractionProgress>();
        ExtractionSummary summary;
        using (var store = PreferenceStore.Open(folder.Path))
        {
            var job = new ExtractionJob(dataset, new LexiconPreferenceExtractor(), PromptLibrary.Load(), new ExtractionOptions { Parallelism = 3, LimitUsers = 4 });
            Assert.Equal(80, job.Plan().Count);
            summary = await job.RunAsync(store, new SynchronousProgress(progress.Add));
        }
        Assert.Equal((80, 0, 80), (summary.Prompts, summary.Resumed, summary.Completed + summary.Failed));
        Assert.Equal(LexiconPreferenceExtractor.ExtractorName, summary.Extractor);
        Assert.Equal(80, progress[^1].Done);
        var rows = Table(folder.Path);
        Assert.Equal(80, rows.Count);
        Assert.Equal(rows.Count, rows.Distinct().Count());
        using var reopened = PreferenceStore.OpenExisting(folder.Path);
        Assert.All(reopened.Rows(), r =>
        {
            Assert.NotEqual(StepStatus.Running, r.Status);
            Assert.Equal(LexiconPreferenceExtractor.ExtractorName, r.Extractor);
            Assert.InRange(r.Step, 3, 22);
            Assert.InRange(r.Preferences.Count, r.Status == StepStatus.Completed ? 1 : 0, 5);
        });
    }

    [Fact]
    public async Task ACancelledRunResumesToTheSameTableWithNothingDoneTwice()
    {
        var dataset = Fixtures.Dataset(users: 8, historyLength: 9);
        using var whole = new TempFolder();
        var full = await Run(dataset, whole.Path, new CountingExtractor());
        Assert.Equal(72, full.Prompts);

        using var folder = new TempFolder();
        using var cancel = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Run(dataset, folder.Path, new CountingExtractor(cancelAfter: 30, cancel), cancellation: cancel.Token));
        int finishedBefore;
        using (var store = PreferenceStore.OpenExisting(folder.Path))
        {
            var (_, completed, failed) = store.Counts();
            finishedBefore = completed + failed;
        }
        Assert.Equal(30, finishedBefore);

        var resumed = new CountingExtractor();
        var summary = await Run(dataset, folder.Path, resumed);
        Assert.Equal(finishedBefore, summary.Resumed);
        Assert.Equal(72 - finishedBefore, resumed.Calls);
        Assert.Equal((full.Completed, full.Failed), (summary.Completed, summary.Failed));
        Assert.Equal(Table(whole.Path), Table(folder.Path));
        Assert.Equal(0, (await Run(dataset, folder.Path, resumed)).RanNow);
    }

    [Fact]
    public async Task RowsLeftRunningAreRedone()
    {
        var dataset = Fixtures.Dataset(users: 2, historyLength: 3);
        using var folder = new TempFolder();
        await Run(dataset, folder.Path, new LexiconPreferenceExtractor());
        using (var store = PreferenceStore.OpenExisting(folder.Path))
        {
            var row = store.Rows().First();
            store.Write([row with { Status = StepStatus.Running, Preferences = [], CompletedAt = null }]);
            Assert.Equal(1, store.Counts().Running);
        }
        var counting = new CountingExtractor();
        var summary = await Run(dataset, folder.Path, counting);
        Assert.Equal((1, 5), (counting.Calls, summary.Resumed));
        using var reopened = PreferenceStore.OpenExisting(folder.Path);
        Assert.Equal(0, reopened.Counts().Running);
    }

    [Fact]
    public async Task BadOptionsAreRejected()
    {
        using var folder = new TempFolder();
        var dataset = Fixtures.Dataset(users: 1, historyLength: 2);
        await Assert.ThrowsAsync<ArgumentException>(() => Run(dataset, folder.Path, new LexiconPreferenceExtractor(), new ExtractionOptions { Parallelism = 0 }));
        await Assert.ThrowsAsync<ArgumentException>(() => Run(dataset, folder.Path, new LexiconPreferenceExtractor(), new ExtractionOptions { LimitUsers = 0 }));
    }

    private sealed class SynchronousProgress(Action<ExtractionProgress> report) : IProgress<ExtractionProgress>
    {
        public void Report(ExtractionProgress value) => report(value);
    }
}
