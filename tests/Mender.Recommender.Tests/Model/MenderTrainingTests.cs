using Mender.Data.Runs;
using Mender.Numerics.Checkpoints;
using Mender.Recommender.Evaluation;
using Mender.Recommender.Inference;
using Mender.Recommender.Model;

namespace Mender.Recommender.Tests.Model;

public sealed class MenderTrainingTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"mender-train-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private sealed class Collector : IProgress<TrainProgress>
    {
        public List<TrainProgress> Reports { get; } = [];
        public Action<TrainProgress>? OnReport { get; init; }

        public void Report(TrainProgress value)
        {
            Reports.Add(value);
            OnReport?.Invoke(value);
        }
    }

    private static double TopOneAccuracy(SyntheticWorld world, string directory)
    {
        var (model, _) = MenderCheckpoint.Load(directory);
        var recommender = new MenderRecommender(model, world.Sids, beam: 10, world.Preferences);
        var result = LeaveOneOutEvaluator.Evaluate(recommender, world.Dataset, world.Split.Test);
        return result.PerUser.Count(u => u.Rank == 0) / (double)result.Users;
    }

    [Fact]
    public void PreferenceDeterminedTargetsAreLearnedInMenderModeOnly()
    {
        var world = new SyntheticWorld(users: 160, length: 6, seed: 7);
        var accuracy = new Dictionary<MenderMode, double>();
        foreach (var mode in new[] { MenderMode.Mender, MenderMode.Tiger })
        {
            var trainer = new MenderTrainer(world.Split, world.Sids, SyntheticWorld.TinyConfig(mode, 250), world.Preferences);
            var directory = Path.Combine(root, mode.ToString());
            var result = trainer.Train(directory, new MenderCheckpointInfo());
            Assert.Equal(StopReason.MaxSteps, result.Reason);
            accuracy[mode] = TopOneAccuracy(world, directory);
        }
        Assert.True(accuracy[MenderMode.Mender] > 0.8, $"mender mode top-1 accuracy {accuracy[MenderMode.Mender]:F3}");
        Assert.True(accuracy[MenderMode.Tiger] < 0.2, $"tiger mode top-1 accuracy {accuracy[MenderMode.Tiger]:F3}");
    }

    [Fact]
    public void TimingAConfigLeavesNothingBehindAndAnotherShapeKeepsTheSamples()
    {
        var world = new SyntheticWorld(users: 40, length: 6, seed: 5);
        var trainer = new MenderTrainer(world.Split, world.Sids, SyntheticWorld.TinyConfig(MenderMode.Mender, 10), world.Preferences);
        var wider = trainer.With(trainer.Config with { Model = trainer.Config.Model with { ModelDim = 48, FeedForwardDim = 96 } });
        Assert.Equal((48, trainer.SampleCount, trainer.Config.Model.PreferenceDim), (wider.Config.Model.ModelDim, wider.SampleCount, wider.Config.Model.PreferenceDim));

        var rate = wider.MeasureSamplesPerSecond(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));
        Assert.True(rate > 0 && double.IsFinite(rate), $"rate {rate}");
        var users = wider.MeasureValidationUsersPerSecond(TimeSpan.FromMilliseconds(50));
        Assert.True(users > 0 && double.IsFinite(users), $"validation pace {users}");
        Assert.Equal(world.Split.Validation.Count, wider.ValidationUserCount);
        Assert.False(Directory.Exists(root));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.9f)]
    public void ResumingAfterAnInterruptionContinuesTheSameRun(float weightAverage)
    {
        var world = new SyntheticWorld(users: 40, length: 6, seed: 3);
        var config = SyntheticWorld.TinyConfig(MenderMode.Tiger, 12, dropout: 0.2f) with { };
        config = config with { Training = config.Training with { EvalEvery = 4, BatchSize = 16, WeightAverage = weightAverage } };

        var whole = new MenderTrainer(world.Split, world.Sids, config).Train(Path.Combine(root, "whole"), new MenderCheckpointInfo());
        Assert.Equal(12, whole.Losses.Count);

        var interrupted = Path.Combine(root, "interrupted");
        using var cancel = new CancellationTokenSource();
        var collector = new Collector { OnReport = p => { if (p.Step == 6) cancel.Cancel(); } };
        var first = new MenderTrainer(world.Split, world.Sids, config).Train(interrupted, new MenderCheckpointInfo(), progress: collector, cancellation: cancel.Token);
        Assert.Equal(StopReason.Cancelled, first.Reason);
        Assert.Equal(6, first.Steps);
        Assert.True(RunDirectory.HoldsCheckpoint(interrupted));

        var second = new MenderTrainer(world.Split, world.Sids, config).Train(interrupted, new MenderCheckpointInfo());
        Assert.True(second.Resumed);
        Assert.Equal(StopReason.MaxSteps, second.Reason);
        var combined = first.Losses.Concat(second.Losses).ToArray();
        Assert.Equal(whole.Losses.Count, combined.Length);
        for (var i = 0; i < combined.Length; i++) Assert.Equal(whole.Losses[i], combined[i], 5);
        Assert.Equal(whole.BestStep, second.BestStep);
        Assert.Equal(whole.BestNdcgAt10, second.BestNdcgAt10, 9);

        var a = SafeTensors.Load(Path.Combine(root, "whole", "model.safetensors")).Tensors;
        var b = SafeTensors.Load(Path.Combine(interrupted, "model.safetensors")).Tensors;
        foreach (var (name, tensor) in a)
            Assert.Equal(tensor.ToArray(), b[name].ToArray(), (x, y) => MathF.Abs(x - y) < 1e-5f);
    }

    [Fact]
    public void WithAWeightAverageTheCheckpointHoldsTheAverageAndTrainingGoesOnFromItsOwnWeights()
    {
        var world = new SyntheticWorld(users: 40, length: 6, seed: 3);
        var config = SyntheticWorld.TinyConfig(MenderMode.Tiger, 12);
        config = config with { Training = config.Training with { BatchSize = 16, WeightAverage = 0.9f } };
        var directory = Path.Combine(root, "averaged");
        var trainer = new MenderTrainer(world.Split, world.Sids, config);
        var result = trainer.Train(directory, new MenderCheckpointInfo());
        Assert.Equal(12, result.BestStep);

        var best = SafeTensors.Load(Path.Combine(directory, "model.safetensors")).Tensors;
        var latest = SafeTensors.Load(Path.Combine(directory, TrainerState.StateDirectory, "model.safetensors")).Tensors;
        var optimizer = SafeTensors.Load(Path.Combine(directory, TrainerState.StateDirectory, TrainerState.OptimizerFile)).Tensors;
        var names = new MenderModel(trainer.Config.Model).NamedParameters().Select(p => p.Key).ToList();
        var moved = 0;
        for (var i = 0; i < names.Count; i++)
        {
            Assert.Equal(optimizer[$"{i}.average"].ToArray(), best[names[i]].ToArray());
            if (!best[names[i]].ToArray().SequenceEqual(latest[names[i]].ToArray())) moved++;
        }
        Assert.True(moved > names.Count / 2, $"only {moved} of {names.Count} averaged parameters differ from the latest weights");
    }

    [Fact]
    public void EarlyStoppingEndsARunThatStopsImproving()
    {
        var world = new SyntheticWorld(users: 30, length: 5, seed: 6);
        var config = SyntheticWorld.TinyConfig(MenderMode.Tiger, 100);
        // A zero learning rate leaves the weights as they are, so no validation after the first can improve on it.
        config = config with { Training = config.Training with { LearningRate = 1e-12f, EvalEvery = 2, Patience = 2, ValidationUsers = 10 } };
        var directory = Path.Combine(root, "early");
        var result = new MenderTrainer(world.Split, world.Sids, config).Train(directory, new MenderCheckpointInfo());
        Assert.Equal(StopReason.EarlyStopping, result.Reason);
        Assert.Equal(6, result.Steps);
        Assert.Equal(2, result.BestStep);
        Assert.Equal(2, MenderCheckpoint.Load(directory).Info.Step);
        var again = new MenderTrainer(world.Split, world.Sids, config).Train(directory, new MenderCheckpointInfo());
        Assert.Empty(again.Losses);
    }

    [Fact]
    public void TimeLimitStopsCleanlyWithABestCheckpoint()
    {
        var world = new SyntheticWorld(users: 30, length: 5, seed: 4);
        var config = SyntheticWorld.TinyConfig(MenderMode.Tiger, 1000);
        var result = new MenderTrainer(world.Split, world.Sids, config).Train(Path.Combine(root, "timed"), new MenderCheckpointInfo { Dataset = "synthetic" }, TimeSpan.Zero);
        Assert.Equal(StopReason.TimeLimit, result.Reason);
        Assert.Equal(0, result.Steps);
        var (_, info) = MenderCheckpoint.Load(Path.Combine(root, "timed"));
        Assert.Equal("synthetic", info.Dataset);
        Assert.Equal(world.Sids.CodebookSizes, info.Model.CodebookSizes);
    }

    [Fact]
    public void TheTimeLimitCoversTheWholeRunResumedPartsIncluded()
    {
        var world = new SyntheticWorld(users: 30, length: 5, seed: 5);
        var config = SyntheticWorld.TinyConfig(MenderMode.Tiger, 1000);
        var directory = Path.Combine(root, "budget");
        using var cancel = new CancellationTokenSource();
        var collector = new Collector { OnReport = p => { if (p.Step == 3) cancel.Cancel(); } };
        var first = new MenderTrainer(world.Split, world.Sids, config).Train(directory, new MenderCheckpointInfo(), progress: collector, cancellation: cancel.Token);
        Assert.Equal(StopReason.Cancelled, first.Reason);
        var spent = TrainerState.Load(directory)!.ElapsedSeconds;
        Assert.True(spent > 0);

        var again = new MenderTrainer(world.Split, world.Sids, config).Train(directory, new MenderCheckpointInfo(), TimeSpan.FromSeconds(spent / 2));
        Assert.Equal(StopReason.TimeLimit, again.Reason);
        Assert.Empty(again.Losses);
        Assert.Equal(3, again.Steps);
    }

    [Fact]
    public void BudgetShareAndEtaFollowWhicheverEndsFirst()
    {
        Assert.Equal(0, TrainerState.BudgetUsed(100, null));
        Assert.Equal(0.25, TrainerState.BudgetUsed(15, TimeSpan.FromMinutes(1)), 9);
        Assert.Equal(1, TrainerState.BudgetUsed(0, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromSeconds(50), TrainerState.Eta(100, 0.5, 0, null));
        Assert.Equal(TimeSpan.FromSeconds(30), TrainerState.Eta(100, 0.5, 30, TimeSpan.FromMinutes(1)));
        Assert.Equal(TimeSpan.FromSeconds(50), TrainerState.Eta(100, 0.5, 0, TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.Zero, TrainerState.Eta(100, 0.5, 90, TimeSpan.FromMinutes(1)));
    }
}
