using System.Diagnostics;
using Mender.Numerics;
using Mender.Numerics.Autograd;
using Mender.Numerics.Checkpoints;
using Mender.Numerics.Operations;
using Mender.Numerics.Optim;
using Mender.Numerics.Tensors;
using Mender.Recommender.Data;
using Mender.Recommender.Evaluation;
using Mender.Recommender.Model;

namespace Mender.Recommender.Baselines;

/// <summary>What a SASRec checkpoint's config.json records.</summary>
public sealed record SasRecCheckpointInfo
{
    public string Method { get; init; } = "sasrec";
    public SasRecConfig Model { get; init; } = new();
    public string? Dataset { get; init; }

    /// <summary>The <see cref="CatalogueFingerprint"/> of the training dataset; null in checkpoints older than it.</summary>
    public string? Catalogue { get; init; }

    public int Epoch { get; init; }
    public double ValidationNdcgAt10 { get; init; }
}

/// <summary>
/// Trains SASRec as in the original recipe, with full softmax: each epoch visits every user once with the last
/// MaxLength + 1 items of their training part, every position predicting the next item; Adam (no weight decay);
/// validation NDCG@10 after each epoch with early stopping, the best weights saved as the checkpoint. The latest
/// state (weights, optimizer moments, dropout RNG, position) is saved after every epoch and when stopping, and a later
/// call on the same directory resumes from it, reproducing the uninterrupted run.
/// </summary>
public sealed class SasRecTrainer
{
    private readonly LeaveOneOutSplit split;
    private readonly SasRecConfig config;
    private readonly int[][] sequences;

    public SasRecTrainer(LeaveOneOutSplit split, SasRecConfig config)
    {
        this.split = split;
        this.config = config with { Items = split.Dataset.Items.Count };
        this.config.Validate();
        sequences = split.Train.Where(s => s.Length >= 2).Select(s => s[Math.Max(0, s.Length - config.MaxLength - 1)..]).ToArray();
        if (sequences.Length == 0) throw new ArgumentException($"dataset '{split.Dataset.Name}' has no training sequence of two items");
    }

    public SasRecConfig Config => config;

    private const int IgnoredTarget = -100;

    public TrainResult Train(string directory, string? datasetPath = null, TimeSpan? timeLimit = null,
        IProgress<TrainProgress>? progress = null, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(directory);
        var model = new SasRecModel(config);
        var optimizer = new AdamW(model.Parameters(), config.LearningRate, beta2: 0.98f, weightDecay: 0f);
        var state = TrainerState.Resume(directory, model, optimizer, model.Random, out var resumed);
        if (state.Finished) return state.FinishedResult();
        var validation = LeaveOneOutEvaluator.Subset(split.Validation, config.ValidationUsers);
        var stepsPerEpoch = (sequences.Length + config.BatchSize - 1) / config.BatchSize;
        var maxSteps = (long)stepsPerEpoch * config.MaxEpochs;
        var clock = Stopwatch.StartNew();
        var previousSeconds = state.ElapsedSeconds;
        var losses = new List<float>();
        var step = state.Step;
        var startStep = step;
        int[]? order = null;
        long orderEpoch = -1;
        StopReason? reason = null;
        model.Train();
        while (reason is null)
        {
            if (step >= maxSteps) { reason = StopReason.MaxSteps; break; }
            if (cancellation.IsCancellationRequested) { reason = StopReason.Cancelled; break; }
            if (TrainerState.BudgetUsed(previousSeconds + clock.Elapsed.TotalSeconds, timeLimit) >= 1) { reason = StopReason.TimeLimit; break; }
            var epoch = step / stepsPerEpoch;
            if (epoch != orderEpoch)
            {
                order = Enumerable.Range(0, sequences.Length).ToArray();
                new Rng(config.Seed * 1_000_003UL + (ulong)epoch + 1).Shuffle(order.AsSpan());
                orderEpoch = epoch;
            }
            var first = (int)(step % stepsPerEpoch) * config.BatchSize;
            var batch = order!.Skip(first).Take(config.BatchSize).Select(i => sequences[i]).ToArray();
            var loss = Step(model, optimizer, batch);
            losses.Add(loss);
            step++;
            var rate = (step - startStep) * (double)config.BatchSize / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
            var eta = TrainerState.Eta(maxSteps - step, config.BatchSize / Math.Max(1e-9, rate), previousSeconds + clock.Elapsed.TotalSeconds, timeLimit);
            progress?.Report(new TrainProgress(step, maxSteps, loss, rate, clock.Elapsed, eta, null, Math.Max(0, state.BestNdcgAt10), state.BestStep));
            if (step % stepsPerEpoch != 0) continue;

            var ndcg = Validate(model, validation);
            if (ndcg > state.BestNdcgAt10)
            {
                state = state with { BestNdcgAt10 = ndcg, BestStep = step, EvaluationsWithoutImprovement = 0 };
                SaveBest(directory, model, datasetPath, step / stepsPerEpoch, ndcg);
            }
            else
            {
                state = state with { EvaluationsWithoutImprovement = state.EvaluationsWithoutImprovement + 1 };
                if (state.EvaluationsWithoutImprovement >= config.Patience) reason = StopReason.EarlyStopping;
            }
            state = state.Advance(directory, model, optimizer, model.Random, step, previousSeconds + clock.Elapsed.TotalSeconds, false);
            progress?.Report(new TrainProgress(step, maxSteps, loss, 0, clock.Elapsed, null, ndcg, state.BestNdcgAt10, state.BestStep));
        }

        // A run stopped before its first epoch ended still leaves a usable best checkpoint.
        if (state.BestNdcgAt10 < 0)
        {
            var ndcg = Validate(model, validation);
            state = state with { BestNdcgAt10 = ndcg, BestStep = step };
            SaveBest(directory, model, datasetPath, (int)(step / stepsPerEpoch), ndcg);
        }
        var finished = reason is StopReason.MaxSteps or StopReason.EarlyStopping;
        state = state.Advance(directory, model, optimizer, model.Random, step, previousSeconds + clock.Elapsed.TotalSeconds, finished);
        return new TrainResult(reason!.Value, step, state.BestStep, state.BestNdcgAt10, resumed, clock.Elapsed, losses);
    }

    private double Validate(SasRecModel model, IReadOnlyList<TrainingSample> validation)
    {
        var ndcg = validation.Count == 0 ? 0 : LeaveOneOutEvaluator.Evaluate(new SasRecRecommender(model), split.Dataset, validation).NdcgAt10;
        model.Train();
        return ndcg;
    }

    private void SaveBest(string directory, SasRecModel model, string? datasetPath, long epoch, double ndcg) =>
        Checkpoint.Save(directory, model, new SasRecCheckpointInfo
        {
            Model = config, Dataset = datasetPath, Catalogue = CatalogueFingerprint.Of(split.Dataset), Epoch = (int)epoch, ValidationNdcgAt10 = ndcg,
        });

    /// <summary>
    /// Rows of catalogue logits are computed in fixed-size chunks (the last padded with ignored rows), so every step
    /// uses buffers of the same shapes and the buffer pool stays bounded however many positions a batch has.
    /// </summary>
    private const int ScoreChunk = 512;

    private static float Step(SasRecModel model, AdamW optimizer, int[][] batch)
    {
        var length = batch.Max(s => s.Length) - 1;
        var tokens = new int[batch.Length * length];
        var rows = new List<int>();
        var targets = new List<int>();
        for (var b = 0; b < batch.Length; b++)
        {
            var s = batch[b];
            for (var j = 0; j + 1 < s.Length; j++)
            {
                tokens[b * length + j] = s[j] + 1;
                rows.Add(b * length + j);
                targets.Add(s[j + 1]);
            }
        }
        var valid = rows.Count;
        while (rows.Count % ScoreChunk != 0)
        {
            rows.Add(0);
            targets.Add(IgnoredTarget);
        }
        var rowArray = rows.ToArray();
        var targetArray = targets.ToArray();
        float value;
        using (var tape = Tape.Record())
        {
            var hidden = model.Forward(tokens, batch.Length, length);
            Tensor? loss = null;
            for (var start = 0; start < rowArray.Length; start += ScoreChunk)
            {
                var logits = model.Scores(hidden, rowArray[start..(start + ScoreChunk)]);
                var inChunk = Math.Min(ScoreChunk, valid - start);
                // The chunk's mean weighted by its share of the batch's positions gives the batch mean.
                var part = Ops.CrossEntropy(logits, targetArray.AsSpan(start, ScoreChunk), IgnoredTarget) * (inChunk / (float)valid);
                loss = loss is null ? part : loss + part;
            }
            tape.Backward(loss!);
            value = loss!.Item();
        }
        optimizer.Step();
        optimizer.ZeroGrad();
        return value;
    }
}
