using System.Diagnostics;
using Mender.Data;
using Mender.Numerics;
using Mender.Numerics.Autograd;
using Mender.Numerics.Modules;
using Mender.Numerics.Optim;
using Mender.Numerics.Tensors;
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
            ItemCount = config.Model.ItemIds ? sids.Count : 0,
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

    /// <summary>The number of training samples: one per predicted position of each history.</summary>
    public int SampleCount => samples.Count;

    /// <summary>A trainer of the same data, SIDs, preferences and item text with another model or schedule.</summary>
    public MenderTrainer With(MenderConfig other) => new(split, sids, other, preferences, itemText);

    /// <summary>
    /// How many training samples a second a fresh model of this config learns from on this machine, over the first batch.
    /// Steps run for <paramref name="warmUp"/> before the timing starts: the first steps are several times slower, until
    /// tiered compilation has optimized the hot loops and the buffer pool holds every shape. The pace is then timed over
    /// at least <paramref name="measure"/> and three steps. Nothing is saved.
    /// </summary>
    public double MeasureSamplesPerSecond(TimeSpan warmUp, TimeSpan measure)
    {
        var model = NewModel();
        model.Train();
        var optimizer = NewOptimizer(model, config.Training);
        var step = NewStep(model, optimizer);
        var batch = samples.Take(Math.Min(config.Training.BatchSize, samples.Count)).ToArray();
        var clock = Stopwatch.StartNew();
        do step.Take(batch);
        while (clock.Elapsed < warmUp);
        clock.Restart();
        var steps = 0;
        do
        {
            step.Take(batch);
            steps++;
        }
        while (steps < 3 || clock.Elapsed < measure);
        return batch.Length * steps / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The number of validation users: those whose validation target has a history before it.</summary>
    public int ValidationUserCount => split.Validation.Count;

    /// <summary>
    /// How many validation users a second a fresh model of this config scores on this machine, as validation scores
    /// them (beam search over the SIDs), after one untimed pass over the first few hundred, timed over at least
    /// <paramref name="measure"/>. Nothing is saved.
    /// </summary>
    public double MeasureValidationUsersPerSecond(TimeSpan measure)
    {
        var cases = split.Validation.Take(256).ToArray();
        if (cases.Length == 0) return double.PositiveInfinity;
        var model = NewModel();
        Validate(model, cases);
        var clock = Stopwatch.StartNew();
        var users = 0;
        do
        {
            Validate(model, cases);
            users += cases.Length;
        }
        while (clock.Elapsed < measure);
        return users / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Trains into <paramref name="directory"/>, resuming if it holds an unfinished run. <paramref name="info"/> carries
    /// the provenance recorded in the checkpoint. <paramref name="timeLimit"/> is the run's whole training time, resumed
    /// parts included, and the learning rate anneals to it as it does to the last step. Returns when a stop condition
    /// holds; the best checkpoint is in the directory (<see cref="MenderCheckpoint.Load(string)"/>).
    /// </summary>
    public TrainResult Train(string directory, MenderCheckpointInfo info, TimeSpan? timeLimit = null,
        IProgress<TrainProgress>? progress = null, CancellationToken cancellation = default)
    {
        var training = config.Training;
        var run = new Run(this, NewModel(), directory,
            info with { Training = training, Catalogue = CatalogueFingerprint.Of(split.Dataset), ProducedBy = $"mender train ({config.Model.Mode.ToString().ToLowerInvariant()})" });
        var loop = new TrainingLoop
        {
            SampleCount = samples.Count,
            BatchSize = training.BatchSize,
            MaxSteps = training.MaxSteps,
            ValidateEvery = training.EvalEvery,
            Patience = training.Patience,
            Seed = training.Seed,
        };
        return loop.Run(directory, run, timeLimit, progress, cancellation);
    }

    private MenderModel NewModel()
    {
        var model = new MenderModel(config.Model);
        if (itemText is not null) model.AttachItemText(itemText);
        return model;
    }

    private static AdamW NewOptimizer(MenderModel model, MenderTrainingConfig training) =>
        new(model.Parameters(), training.LearningRate, weightDecay: training.WeightDecay, decays: AdamW.MatricesOnly,
            averageDecay: training.WeightAverage);

    /// <summary>One training run of a fresh model: AdamW with a warmup-cosine schedule that anneals to the last step or the time budget.</summary>
    private sealed class Run : ITrainingRun
    {
        private readonly MenderTrainer trainer;
        private readonly MenderModel model;
        private readonly AdamW optimizer;
        private readonly MenderStep step;
        private readonly WarmupCosineSchedule schedule;
        private readonly IReadOnlyList<TrainingSample> validation;
        private readonly string directory;
        private readonly MenderCheckpointInfo info;

        public Run(MenderTrainer trainer, MenderModel model, string directory, MenderCheckpointInfo info)
        {
            var training = trainer.config.Training;
            this.trainer = trainer;
            this.model = model;
            this.directory = directory;
            this.info = info;
            optimizer = NewOptimizer(model, training);
            step = trainer.NewStep(model, optimizer);
            schedule = new WarmupCosineSchedule(training.LearningRate, Math.Min(training.WarmupSteps, training.MaxSteps), training.MaxSteps);
            validation = LeaveOneOutEvaluator.Subset(trainer.split.Validation, training.ValidationUsers);
        }

        public Module Model => model;
        public Optimizer Optimizer => optimizer;
        public Rng Random => model.Random;

        public float Step(ReadOnlySpan<int> samples, long index, double budgetUsed, double rateScale)
        {
            var batch = new TrainingSample[samples.Length];
            for (var i = 0; i < samples.Length; i++) batch[i] = trainer.samples[samples[i]];
            optimizer.LearningRate = (float)(schedule.At(index + 1, budgetUsed) * rateScale);
            return step.Take(batch);
        }

        public double Validate() => OnScoredWeights(() => trainer.Validate(model, validation));

        public void SaveBest(long step, double ndcgAt10) =>
            OnScoredWeights(() => MenderCheckpoint.Save(directory, model, info with { Step = step, ValidationNdcgAt10 = ndcgAt10 }));

        /// <summary>Runs <paramref name="action"/> on the weights validation scores: their moving average when one is kept.</summary>
        private T OnScoredWeights<T>(Func<T> action)
        {
            if (optimizer.AverageDecay == 0) return action();
            optimizer.SwapAverages();
            try { return action(); }
            finally { optimizer.SwapAverages(); }
        }

        private void OnScoredWeights(Action action) => OnScoredWeights(() => { action(); return 0; });
    }

    private MenderStep NewStep(MenderModel model, AdamW optimizer) =>
        new(model, optimizer, sids, preferences, config.Training.ClipNorm);

    private double Validate(MenderModel model, IReadOnlyList<TrainingSample> validation)
    {
        if (validation.Count == 0) return 0;
        var recommender = new MenderRecommender(model, sids, config.Training.Beam, preferences);
        var result = LeaveOneOutEvaluator.Evaluate(recommender, split.Dataset, validation);
        model.Train();
        return result.NdcgAt10;
    }
}
