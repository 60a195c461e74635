using System.Diagnostics;
using Mender.Numerics;
using Mender.Numerics.Autograd;
using Mender.Numerics.Optim;
using Mender.Numerics.Tensors;
using Mender.Recommender.Data;
using Mender.Recommender.Evaluation;
using Mender.Recommender.Inference;
using Mender.Recommender.SemanticIds;

namespace Mender.Recommender.Model;

/// <summary>
/// Trains a Mender model on sliding-window samples of the training part: AdamW, linear warmup + cosine decay, global
/// gradient clipping, validation NDCG@10 every EvalEvery steps with early stopping. The best weights are the
/// checkpoint in the run directory; the latest state (weights, optimizer moments, RNG, position) is saved at every
/// validation and when stopping, and a later call on the same directory resumes from it, reproducing the
/// uninterrupted run. A time limit or cancellation stops cleanly after the current step.
/// </summary>
public sealed class MenderTrainer
{
    private readonly LeaveOneOutSplit split;
    private readonly SidTable sids;
    private readonly MenderConfig config;
    private readonly PreferenceInputs? preferences;
    private readonly List<TrainingSample> samples;
    private readonly Tensor? itemText;

    /// <summary>
    /// <paramref name="preferences"/> is required in mender mode; <paramref name="itemText"/> [items, width] when the
    /// model config turns item text on.
    /// </summary>
    public MenderTrainer(LeaveOneOutSplit split, SidTable sids, MenderConfig config, PreferenceInputs? preferences = null, Tensor? itemText = null)
    {
        if (sids.Count != split.Dataset.Items.Count)
            throw new ArgumentException($"the SID table has {sids.Count} items, dataset '{split.Dataset.Name}' {split.Dataset.Items.Count}");
        var model = config.Model with
        {
            CodebookSizes = sids.CodebookSizes.ToArray(),
            MaxHistory = split.HistoryCap,
            PreferenceDim = config.Model.Mode == MenderMode.Mender
                ? preferences?.Dimensions ?? throw new ArgumentException("mender mode needs preference inputs")
                : 0,
            ItemTextDim = config.Model.ItemText
                ? itemText?.Dim(1) ?? throw new ArgumentException("item text input needs the item text embeddings")
                : 0,
        };
        if (itemText is not null && itemText.Dim(0) != split.Dataset.Items.Count)
            throw new ArgumentException($"item text embeddings have {itemText.Dim(0)} rows for {split.Dataset.Items.Count} items");
        this.itemText = config.Model.ItemText ? itemText : null;
        model.Validate();
        config.Training.Validate();
        this.config = config with { Model = model };
        this.split = split;
        this.sids = sids;
        this.preferences = config.Model.Mode == MenderMode.Mender ? preferences : null;
        samples = split.TrainingSamples();
        if (samples.Count == 0) throw new ArgumentException($"dataset '{split.Dataset.Name}' has no training samples");
    }

    /// <summary>The effective configuration (codebook sizes, history cap and preference width filled in).</summary>
    public MenderConfig Config => config;

    public int SampleCount => samples.Count;

    /// <summary>
    /// Trains into <paramref name="directory"/>, resuming if it holds an unfinished run. <paramref name="info"/> carries
    /// the provenance recorded in the checkpoint. <paramref name="timeLimit"/> is the run's whole training time, resumed
    /// parts included, and the learning rate anneals to it as it does to the last step. Returns when a stop condition
    /// holds; the best checkpoint is in the directory (<see cref="MenderCheckpoint.Load"/>).
    /// </summary>
    public TrainResult Train(string directory, MenderCheckpointInfo info, TimeSpan? timeLimit = null,
        IProgress<TrainProgress>? progress = null, CancellationToken cancellation = default)
    {
        Directory.CreateDirectory(directory);
        var training = config.Training;
        var model = new MenderModel(config.Model);
        if (itemText is not null) model.AttachItemText(itemText);
        var optimizer = new AdamW(model.Parameters(), training.LearningRate, weightDecay: training.WeightDecay, decays: AdamW.MatricesOnly);
        var schedule = new WarmupCosineSchedule(training.LearningRate, Math.Min(training.WarmupSteps, training.MaxSteps), training.MaxSteps);
        var state = TrainerState.Resume(directory, model, optimizer, model.Random, out var resumed);
        if (state.Finished) return state.FinishedResult();
        info = info with { Training = training, Catalogue = CatalogueFingerprint.Of(split.Dataset), ProducedBy = $"mender train ({config.Model.Mode.ToString().ToLowerInvariant()})" };

        var clock = Stopwatch.StartNew();
        var previousSeconds = state.ElapsedSeconds;
        var validation = LeaveOneOutEvaluator.Subset(split.Validation, training.ValidationUsers);
        var losses = new List<float>();
        var step = state.Step;
        var startStep = step;
        var stepsPerEpoch = (samples.Count + training.BatchSize - 1) / training.BatchSize;
        int[]? order = null;
        long orderEpoch = -1;
        StopReason? reason = null;
        long lastValidated = -1;
        model.Train();

        while (reason is null)
        {
            if (step >= training.MaxSteps) { reason = StopReason.MaxSteps; break; }
            if (cancellation.IsCancellationRequested) { reason = StopReason.Cancelled; break; }
            var budgetUsed = TrainerState.BudgetUsed(previousSeconds + clock.Elapsed.TotalSeconds, timeLimit);
            if (budgetUsed >= 1) { reason = StopReason.TimeLimit; break; }

            var epoch = step / stepsPerEpoch;
            if (epoch != orderEpoch)
            {
                order = EpochOrder(samples.Count, training.Seed, epoch);
                orderEpoch = epoch;
            }
            var first = (int)(step % stepsPerEpoch) * training.BatchSize;
            var count = Math.Min(training.BatchSize, samples.Count - first);
            var batchSamples = new TrainingSample[count];
            for (var i = 0; i < count; i++) batchSamples[i] = samples[order![first + i]];

            optimizer.LearningRate = schedule.At(step + 1, budgetUsed);
            var loss = Step(model, optimizer, batchSamples);
            losses.Add(loss);
            step++;
            var rate = (step - startStep) * (double)training.BatchSize / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
            var eta = TrainerState.Eta(training.MaxSteps - step, training.BatchSize / Math.Max(1e-9, rate),
                previousSeconds + clock.Elapsed.TotalSeconds, timeLimit);
            double? validated = null;
            if (step % training.EvalEvery == 0 || step == training.MaxSteps)
            {
                var ndcg = Validate(model, validation);
                validated = ndcg;
                lastValidated = step;
                if (ndcg > state.BestNdcgAt10)
                {
                    state = state with { BestNdcgAt10 = ndcg, BestStep = step, EvaluationsWithoutImprovement = 0 };
                    MenderCheckpoint.Save(directory, model, info with { Step = step, ValidationNdcgAt10 = ndcg });
                }
                else
                {
                    state = state with { EvaluationsWithoutImprovement = state.EvaluationsWithoutImprovement + 1 };
                    if (state.EvaluationsWithoutImprovement >= training.Patience) reason = StopReason.EarlyStopping;
                }
                state = state.Advance(directory, model, optimizer, model.Random, step, previousSeconds + clock.Elapsed.TotalSeconds, false);
            }
            progress?.Report(new TrainProgress(step, training.MaxSteps, loss, rate, clock.Elapsed, eta, validated, state.BestNdcgAt10, state.BestStep));
        }

        // A run stopped before its first validation still leaves a usable best checkpoint.
        if (!MenderCheckpoint.Exists(directory) && lastValidated != step)
        {
            var ndcg = Validate(model, validation);
            state = state with { BestNdcgAt10 = ndcg, BestStep = step };
            MenderCheckpoint.Save(directory, model, info with { Step = step, ValidationNdcgAt10 = ndcg });
        }
        var finished = reason is StopReason.MaxSteps or StopReason.EarlyStopping;
        state = state.Advance(directory, model, optimizer, model.Random, step, previousSeconds + clock.Elapsed.TotalSeconds, finished);
        return new TrainResult(reason!.Value, step, state.BestStep, state.BestNdcgAt10, resumed, clock.Elapsed, losses);
    }

    private float Step(MenderModel model, AdamW optimizer, TrainingSample[] batchSamples)
    {
        var histories = new int[batchSamples.Length][];
        var targets = new int[batchSamples.Length * model.Vocabulary.Length];
        for (var i = 0; i < batchSamples.Length; i++)
        {
            histories[i] = batchSamples[i].History;
            var sid = sids[batchSamples[i].Target];
            for (var level = 0; level < sid.Length; level++)
                targets[i * sid.Length + level] = model.Vocabulary.Token(level, sid[level]);
        }
        var batch = new MenderBatch(sids, model.Vocabulary, histories, model.Config.MaxHistory, model.PreferenceSlots);
        var prefs = preferences?.Matrix(batchSamples);
        float value;
        using (var tape = Tape.Record())
        {
            var loss = model.Loss(batch, prefs, targets);
            tape.Backward(loss);
            value = loss.Item();
        }
        GradientClipping.ClipGlobalNorm(optimizer.Parameters, config.Training.ClipNorm);
        optimizer.Step();
        optimizer.ZeroGrad();
        return value;
    }

    private double Validate(MenderModel model, IReadOnlyList<TrainingSample> validation)
    {
        if (validation.Count == 0) return 0;
        var recommender = new MenderRecommender(model, sids, config.Training.Beam, preferences);
        var result = LeaveOneOutEvaluator.Evaluate(recommender, split.Dataset, validation);
        model.Train();
        return result.NdcgAt10;
    }

    /// <summary>The sample order of an epoch: a function of seed and epoch only, so a resumed run sees the same batches.</summary>
    private static int[] EpochOrder(int count, ulong seed, long epoch)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++) order[i] = i;
        new Rng(seed * 1_000_003UL + (ulong)epoch + 1).Shuffle(order.AsSpan());
        return order;
    }
}
