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
        public Module Model => model;
        public Optimizer Optimizer => optimizer ??= new AdamW(model.Parameters(), 0.1f);
        public Rng Random { get; } = new(2);

        public float Step(ReadOnlySpan<int> samples, long step, double budgetUsed)
        {
            Batches.Add(samples.ToArray());
            clock.Ticks += TimeSpan.TicksPerSecond;
            return 0;
        }

        public double Validate() => 0;
        public void SaveBest(long step, double ndcgAt10) { }
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
}
