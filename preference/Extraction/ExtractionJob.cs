using System.Diagnostics;
using System.Threading.Channels;
using Mender.Data;
using Mender.Preference.Prompts;
using Mender.Preference.Storage;

namespace Mender.Preference.Extraction;

/// <summary>
/// Batch review summarization: one prompt per user and time step (<see cref="ExtractionSchedule"/>), several in flight
/// at once, each result written to the store the moment it is in. Rows that an earlier run completed or failed are
/// skipped; rows it left running are redone. A prompt too long for the model's context is shortened first (oldest
/// reviews dropped, then long reviews cut; the row records what). Failed attempts (malformed or empty output) are
/// retried up to <see cref="ExtractionOptions.MaxAttempts"/> times, unless the failure is certain to repeat; then the
/// row is recorded as failed with the last reason.
/// Cancelling stops new prompts, lets the writer save everything already answered, then throws.
/// </summary>
public sealed class ExtractionJob(Dataset dataset, IPreferenceExtractor extractor, PromptLibrary prompts, ExtractionOptions? options = null)
{
    private readonly ExtractionOptions options = options ?? new ExtractionOptions();

    /// <summary>The users of the plan (see <see cref="ExtractionOptions.UsersOf"/>).</summary>
    public IReadOnlyList<User> Users() => options.UsersOf(dataset);

    /// <summary>The (user, step) prompts of the plan, in order: users by dense id, steps ascending.</summary>
    public IReadOnlyList<ExtractionStep> Plan() => options.Schedule.Steps(Users()).ToList();

    /// <summary>Extracts every planned step the store has not finished yet, so an interrupted run resumes where it stopped.</summary>
    public Task<ExtractionSummary> RunAsync(IStepStore store, IProgress<ExtractionProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(store, Users(), progress, cancellationToken);

    /// <summary>
    /// Runs the prompts of <paramref name="users"/> only: a cluster's lease is a slice of the plan's users, and every
    /// slice run this way writes exactly the rows the whole plan would for them.
    /// </summary>
    public async Task<ExtractionSummary> RunAsync(IStepStore store, IReadOnlyList<User> users, IProgress<ExtractionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        store.Bind(dataset.Name, extractor.Name, extractor.Model);
        var plan = options.Schedule.Steps(users).ToList();
        var finished = store.FinishedSteps();
        var todo = new List<ExtractionStep>(plan.Count);
        int resumedCompleted = 0, resumedFailed = 0;
        foreach (var step in plan)
        {
            if (!finished.TryGetValue((step.User.ExternalId, step.Step), out var status)) todo.Add(step);
            else if (status == StepStatus.Completed) resumedCompleted++;
            else resumedFailed++;
        }

        var renderer = new ExtractionPrompt(prompts.Extraction, options.MaxPreferences, options.MaxReviewChars);
        var clock = Stopwatch.StartNew();
        var writes = Channel.CreateUnbounded<StoredStep>(new UnboundedChannelOptions { SingleReader = true });
        var tally = new RunTally(todo.Count, resumedCompleted + resumedFailed);
        // A writer that fails (disk full, store locked) stops the workers: answers that cannot be stored are not worth asking for.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = Task.Run(async () =>
        {
            try
            {
                await WriteAsync(store, writes.Reader, tally, clock, progress).ConfigureAwait(false);
            }
            catch
            {
                await stop.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }, CancellationToken.None);
        progress?.Report(tally.Snapshot(clock.Elapsed));

        var next = -1;
        var workers = new Task[Math.Min(options.Parallelism, Math.Max(1, todo.Count))];
        for (var w = 0; w < workers.Length; w++)
        {
            workers[w] = Task.Run(async () =>
            {
                for (int i; (i = Interlocked.Increment(ref next)) < todo.Count;)
                {
                    stop.Token.ThrowIfCancellationRequested();
                    await ProcessAsync(todo[i], renderer, writes.Writer, stop.Token).ConfigureAwait(false);
                }
            }, CancellationToken.None);
        }

        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        finally
        {
            writes.Writer.Complete();
            await writer.ConfigureAwait(false);
        }

        return new ExtractionSummary(
            plan.Count, resumedCompleted + resumedFailed,
            resumedCompleted + tally.Completed, resumedFailed + tally.Failed,
            extractor.Name, extractor.Model, tally.InputTokens, tally.OutputTokens, clock.Elapsed, store.Path, tally.Fitted);
    }

    private async Task ProcessAsync(ExtractionStep step, ExtractionPrompt renderer, ChannelWriter<StoredStep> writes, CancellationToken cancellationToken)
    {
        var window = step.Window(dataset);
        var (prompt, fitting) = renderer.Fit(window, extractor.Fits);
        var started = DateTimeOffset.UtcNow;
        var row = new StoredStep(step.User.ExternalId, step.User.Id, step.Step, step.WindowStart, StepStatus.Running, [], null,
            extractor.Name, extractor.Model, ExtractionPrompt.Hash(prompt), 0, null, 0, 0, started, null, fitting);
        writes.TryWrite(row);

        var tried = await ExtractionRetry.RunAsync(extractor, window, prompt, options.MaxAttempts, cancellationToken).ConfigureAwait(false);
        writes.TryWrite(tried.Succeeded
            ? row with
            {
                Status = StepStatus.Completed, Preferences = tried.Last.Preferences, SentimentBy = tried.Last.SentimentBy, Attempts = tried.Attempts,
                InputTokens = tried.InputTokens, OutputTokens = tried.OutputTokens, CompletedAt = DateTimeOffset.UtcNow,
            }
            : row with
            {
                Status = StepStatus.Failed, Attempts = tried.Attempts, Error = tried.Error,
                InputTokens = tried.InputTokens, OutputTokens = tried.OutputTokens, CompletedAt = DateTimeOffset.UtcNow,
            });
    }

    /// <summary>
    /// Rows in one committed transaction at most. A fast extractor on a busy core can queue a whole job's rows before the
    /// writer runs; without a cap they would be one transaction, and a kill before it commits would lose them all.
    /// </summary>
    private const int RowsPerCommit = 512;

    private static async Task WriteAsync(IStepStore store, ChannelReader<StoredStep> reader, RunTally tally, Stopwatch clock, IProgress<ExtractionProgress>? progress)
    {
        var batch = new List<StoredStep>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < RowsPerCommit && reader.TryRead(out var row)) batch.Add(row);
            store.Write(batch);
            foreach (var row in batch) tally.Count(row);
            progress?.Report(tally.Snapshot(clock.Elapsed));
        }
    }

    /// <summary>Counters of this run, touched only by the writer.</summary>
    private sealed class RunTally(int total, int resumed)
    {
        public int Completed { get; private set; }
        public int Failed { get; private set; }
        public long InputTokens { get; private set; }
        public long OutputTokens { get; private set; }

        /// <summary>Finished rows whose prompt was shortened to fit the context.</summary>
        public int Fitted { get; private set; }

        public void Count(StoredStep row)
        {
            if (row.Status == StepStatus.Running) return;
            if (row.Fitting is not null) Fitted++;
            if (row.Status == StepStatus.Completed) Completed++;
            else Failed++;
            InputTokens += row.InputTokens;
            OutputTokens += row.OutputTokens;
        }

        public ExtractionProgress Snapshot(TimeSpan elapsed) =>
            new(total, resumed, Completed, Failed, InputTokens, OutputTokens, elapsed);
    }
}
