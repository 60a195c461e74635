using Mender.Data;
using Mender.Numerics;
using Mender.Numerics.Checkpoints;
using Mender.Recommender.Baselines;
using Mender.Recommender.Evaluation;
using Mender.Recommender.Model;

namespace Mender.Recommender.Tests.Baselines;

public sealed class SasRecTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"mender-sasrec-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    /// <summary>
    /// Users walk a cycle of items with a user-specific stride (1 or 2), so the next item follows from the last two;
    /// each walk is <paramref name="length"/> items, or a length drawn from [<paramref name="shortest"/>, length] when given.
    /// </summary>
    internal static Dataset Walks(int users, int items, int length, ulong seed, int? shortest = null)
    {
        var rng = new Rng(seed);
        var list = new List<User>();
        for (var u = 0; u < users; u++)
        {
            var stride = 1 + rng.NextInt(2);
            var at = rng.NextInt(items);
            var steps = shortest is { } least ? least + rng.NextInt(length - least + 1) : length;
            var interactions = new List<Interaction>();
            for (var t = 0; t < steps; t++)
            {
                interactions.Add(new Interaction(at, t));
                at = (at + stride) % items;
            }
            list.Add(new User(u, $"u{u}", interactions));
        }
        return new Dataset("walks", Enumerable.Range(0, items).Select(i => new Item(i, $"i{i}", $"item {i}")).ToArray(), list);
    }

    [Fact]
    public void LearnsASequentialPattern()
    {
        var data = Walks(users: 300, items: 30, length: 8, seed: 5);
        var split = LeaveOneOutSplit.Create(data, 10);
        var config = new SasRecConfig { Hidden = 32, Blocks = 1, Heads = 1, Dropout = 0.1f, MaxLength = 10, BatchSize = 32, MaxEpochs = 25, LearningRate = 5e-3f };
        var result = new SasRecTrainer(split, config).Train(root);
        Assert.True(result.Losses[^1] < result.Losses[0] / 3, $"loss {result.Losses[0]:F3} → {result.Losses[^1]:F3}");
        var recommender = SasRecRecommender.Load(root, data);
        var metrics = LeaveOneOutEvaluator.Evaluate(recommender, data, split.Test);
        var top1 = metrics.PerUser.Count(u => u.Rank == 0) / (double)metrics.Users;
        Assert.True(top1 > 0.8, $"top-1 accuracy {top1:F3}, NDCG@10 {metrics.NdcgAt10:F3}");
    }

    [Fact]
    public void AStepInShardsOfUnevenLengthLearnsFromTheMeanOverAllPositions()
    {
        // One batch of 150 users (three shards) whose histories predict 1 to 7 positions each.
        var data = Walks(users: 150, items: 25, length: 10, seed: 11, shortest: 4);
        var split = LeaveOneOutSplit.Create(data, 12);
        var config = new SasRecConfig { Hidden = 16, Blocks = 1, Heads = 1, Dropout = 0f, MaxLength = 8, BatchSize = 150, MaxEpochs = 1 };
        var trainer = new SasRecTrainer(split, config);

        var loss = trainer.Train(root).Losses.Single();

        Assert.Equal(MeanNextItemLoss(new SasRecModel(trainer.Config), trainer.Sequences.ToArray()), loss, 4);
    }

    /// <summary>The mean cross-entropy, in float64, of each next item over every position of <paramref name="sequences"/>.</summary>
    private static double MeanNextItemLoss(SasRecModel model, int[][] sequences)
    {
        var (tokens, length, rows, targets) = SasRecStep.Inputs(sequences);
        var scores = model.Scores(model.Forward(tokens, sequences.Length, length), rows).ToArray();
        var items = model.Config.Items;
        var total = 0.0;
        for (var r = 0; r < rows.Length; r++)
        {
            var row = scores.AsSpan(r * items, items);
            var max = double.NegativeInfinity;
            foreach (var x in row) max = Math.Max(max, x);
            var sum = 0.0;
            foreach (var x in row) sum += Math.Exp(x - max);
            total += max + Math.Log(sum) - row[targets[r]];
        }
        return total / rows.Length;
    }

    private sealed class CancelAt(int step, CancellationTokenSource source) : IProgress<TrainProgress>
    {
        public void Report(TrainProgress value)
        {
            if (value.Step == step) source.Cancel();
        }
    }

    [Fact]
    public void ResumingAfterAnInterruptionContinuesTheSameRun()
    {
        var data = Walks(users: 64, items: 20, length: 8, seed: 9);
        var split = LeaveOneOutSplit.Create(data, 8);
        // 64 users in batches of 16: four steps per epoch, twelve in all; the interruption falls inside the second epoch.
        var config = new SasRecConfig { Hidden = 16, Blocks = 1, Heads = 1, Dropout = 0.3f, MaxLength = 8, BatchSize = 16, MaxEpochs = 3, Patience = 5 };
        var whole = new SasRecTrainer(split, config).Train(Path.Combine(root, "whole"));
        Assert.Equal(12, whole.Losses.Count);
        Assert.False(whole.Resumed);

        var interrupted = Path.Combine(root, "interrupted");
        using var cancel = new CancellationTokenSource();
        var first = new SasRecTrainer(split, config).Train(interrupted, progress: new CancelAt(6, cancel), cancellation: cancel.Token);
        Assert.Equal(StopReason.Cancelled, first.Reason);
        Assert.Equal(6, first.Steps);
        Assert.True(File.Exists(Path.Combine(interrupted, Checkpoint.WeightsFile)));

        var second = new SasRecTrainer(split, config).Train(interrupted);
        Assert.True(second.Resumed);
        Assert.Equal(StopReason.MaxSteps, second.Reason);
        var combined = first.Losses.Concat(second.Losses).ToArray();
        Assert.Equal(whole.Losses.Count, combined.Length);
        for (var i = 0; i < combined.Length; i++) Assert.Equal(whole.Losses[i], combined[i], 5);
        Assert.Equal(whole.BestStep, second.BestStep);
        Assert.Equal(whole.BestNdcgAt10, second.BestNdcgAt10, 9);
        var a = SafeTensors.Load(Path.Combine(root, "whole", Checkpoint.WeightsFile)).Tensors;
        var b = SafeTensors.Load(Path.Combine(interrupted, Checkpoint.WeightsFile)).Tensors;
        foreach (var (name, tensor) in a)
            Assert.Equal(tensor.ToArray(), b[name].ToArray(), (x, y) => MathF.Abs(x - y) < 1e-5f);

        // A finished run is not trained again.
        Assert.Empty(new SasRecTrainer(split, config).Train(interrupted).Losses);
    }

    [Fact]
    public void PositionsCountBackFromEachRowsLatestItem()
    {
        int[] tokens = [5, 7, 9, 0, 0, 3, 0, 0, 0, 0, 1, 2, 3, 4, 5];

        Assert.Equal([2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 4, 3, 2, 1, 0], SasRecModel.PositionsOf(tokens, rows: 3, length: 5));
    }

    [Fact]
    public void ACheckpointWhosePositionsCountedFromTheFirstItemIsRefused()
    {
        var data = Walks(users: 40, items: 10, length: 6, seed: 3);
        var config = new SasRecConfig { Hidden = 8, Blocks = 1, MaxLength = 6, BatchSize = 16, MaxEpochs = 1 };
        new SasRecTrainer(LeaveOneOutSplit.Create(data, 6), config).Train(root);
        var configFile = Path.Combine(root, "config.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(configFile))!.AsObject();
        Assert.Equal(SasRecCheckpointInfo.PositionsFromLatest, (int)json["Positions"]!);
        json.Remove("Positions");
        File.WriteAllText(configFile, json.ToJsonString());

        var load = Assert.Throws<InvalidDataException>(() => SasRecRecommender.Load(root, data));
        Assert.Contains(root, load.Message);
        Assert.Contains("train it again", load.Message);
        var resume = Assert.Throws<InvalidDataException>(() => new SasRecTrainer(LeaveOneOutSplit.Create(data, 6), config with { MaxEpochs = 2 }).Train(root));
        Assert.Contains("from before positions counted back", resume.Message);
    }

    [Fact]
    public void TopKPicksTheLargestInOrder()
    {
        Assert.Equal(new[] { 3, 0, 4 }, SasRecRecommender.TopK([5f, 1f, 2f, 9f, 4f, 4f], 3));
        Assert.Equal(new[] { 1, 0 }, SasRecRecommender.TopK([1f, 2f], 5));
    }
}
