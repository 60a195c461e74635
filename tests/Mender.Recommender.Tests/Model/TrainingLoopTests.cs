using Mender.Numerics;
using Mender.Numerics.Modules;
using Mender.Numerics.Optim;
using Mender.Recommender.Model;

namespace Mender.Recommender.Tests.Model;

public sealed class TrainingLoopTests
{
    /// <summary>A clock that moves only when a step says so.</summary>
    private sealed class StepClock : TimeProvider
    {
        public long Ticks { get; set; }
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Ticks;
    }

    /// <summary>A run whose every step takes one second of <see cref="StepClock"/> and records the samples it was given.</summary>
    private sealed class SecondPerStep(StepClock clock) : ITrainingRun
    {
        private readonly Linear model = new(1, 1, new Rng(1));
        private AdamW? optimizer;

        public List<int[]> Batches { get; } = [];
        public List<double> RateScales { get; } = [];

        /// <summary>The NDCG@10 each validation reports, in turn; 0 once they run out.</summary>
        public Queue<double> Validations { get; init; } = [];

        public Module Model => model;
        public Optimizer Optimizer => optimizer ??= new AdamW(model.Parameters(), 0.1f);
        public Rng Random { get; } = new(2);

        public float Step(ReadOnlySpan<int> samples, long step, double budgetUsed, double rateScale)
        {
            Batches.Add(samples.ToArray());
            RateScales.Add(rateScale);
            clock.Ticks += TimeSpan.TicksPerSecond;
            return 0;
        }

        /// <summary>The steps whose weights were saved as the best.</summary>
        public List<long> Saved { get; } = [];

        public double Validate() => Validations.TryDequeue(out var ndcg) ? ndcg : 0;
        public void SaveBest(long step, double ndcgAt10) => Saved.Add(step);
    }

    private static TrainingLoop Loop(StepClock clock, long maxSteps, int samples = 8, int batch = 3) => new()
    {
        SampleCount = samples,
        BatchSize = batch,
        MaxSteps = maxSteps,
        ValidateEvery = 1000,
        Patience = 1,
        Seed = 5,
        Clock = clock,
    };

    private sealed class Collector : IProgress<TrainProgress>
    {
        public List<TrainProgress> Reports { get; } = [];
        public void Report(TrainProgress value) => Reports.Add(value);
    }

    [Theory]
    [InlineData(10, 100, StopReason.MaxSteps)]
    [InlineData(1000, 10, StopReason.TimeLimit)]
    public void PercentAndEtaFollowTheLimitThatEndsTheRun(long maxSteps, double budgetSeconds, StopReason ends)
    {
        using var folder = new TempFolder();
        var clock = new StepClock();
        var progress = new Collector();
        var result = Loop(clock, maxSteps).Run(folder.Path, new SecondPerStep(clock), TimeSpan.FromSeconds(budgetSeconds), progress, default);
        Assert.Equal(ends, result.Reason);
        Assert.Equal(10, result.Steps);
        var fourth = progress.Reports[3];
        Assert.Equal(0.4, fourth.Done, 9);
        Assert.Equal(TimeSpan.FromSeconds(6), fourth.Eta);
        Assert.Equal(1.0, progress.Reports[^1].Done, 9);
    }

    [Fact]
    public void ABudgetEndingBetweenValidationsValidatesTheWeightsItEndsWith()
    {
        using var folder = new TempFolder();
        var clock = new StepClock();
        var run = new SecondPerStep(clock) { Validations = new([0.1, 0.05, 0.2]) };
        var loop = new TrainingLoop { SampleCount = 8, BatchSize = 2, MaxSteps = 100, ValidateEvery = 4, Patience = 5, Seed = 5, Clock = clock };

        var result = loop.Run(folder.Path, run, TimeSpan.FromSeconds(10), null, default);

        Assert.Equal(StopReason.TimeLimit, result.Reason);
        Assert.Equal(10, result.Steps);
        Assert.Empty(run.Validations);
        Assert.Equal([4, 10], run.Saved);
        Assert.Equal(10, result.BestStep);
        Assert.Equal(0.2, result.BestNdcgAt10, 9);
    }

    [Fact]
    public void EachEpochVisitsEverySampleOnceInItsOwnOrder()
    {
        using var folder = new TempFolder();
        var clock = new StepClock();
        var run = new SecondPerStep(clock);
        Loop(clock, maxSteps: 6).Run(folder.Path, run, null, null, default);
        Assert.Equal([3, 3, 2, 3, 3, 2], run.Batches.Select(b => b.Length));
        var epochs = new[] { run.Batches.Take(3).SelectMany(b => b).ToArray(), run.Batches.Skip(3).SelectMany(b => b).ToArray() };
        Assert.All(epochs, e => Assert.Equal(Enumerable.Range(0, 8), e.Order()));
        Assert.NotEqual(epochs[0], epochs[1]);
    }

    [Fact]
    public void TheRateHalvesEachTimeValidationStallsForDecayAfterAndAResumedRunKeepsTheScale()
    {
        using var folder = new TempFolder();
        var clock = new StepClock();
        // Validating every step: better, better, then stalled for good.
        double[] ndcg = [0.1, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1];
        var loop = new TrainingLoop { SampleCount = 8, BatchSize = 2, MaxSteps = 20, ValidateEvery = 1, Patience = 7, DecayAfter = 2, Seed = 5, Clock = clock };
        var first = new SecondPerStep(clock) { Validations = new(ndcg) };
        var cancel = new CancellationTokenSource();
        var progress = new Progress6(cancel);

        var stopped = loop.Run(folder.Path, first, null, progress, cancel.Token);
        Assert.Equal(StopReason.Cancelled, stopped.Reason);
        var second = new SecondPerStep(clock) { Validations = new(ndcg[6..]) };
        var ended = loop.Run(folder.Path, second, null, null, default);

        Assert.Equal(StopReason.EarlyStopping, ended.Reason);
        Assert.Equal(9, ended.Steps);
        // Stalled validations after step 2: two → half, four → a quarter, six → an eighth; the seventh stops the run.
        Assert.Equal([1, 1, 1, 1, 0.5, 0.5, 0.25, 0.25, 0.125], first.RateScales.Concat(second.RateScales));
    }

    /// <summary>Cancels the run once six steps are reported.</summary>
    private sealed class Progress6(CancellationTokenSource cancel) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value)
        {
            if (value.Step == 6) cancel.Cancel();
        }
    }
}
