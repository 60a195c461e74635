using Mender.Data;
using Mender.Data.Runs;
using Mender.Numerics;
using Mender.Numerics.Checkpoints;
using Mender.Numerics.Modules;
using Mender.Numerics.Optim;
using Mender.Recommender.Evaluation;
using Mender.Recommender.Model;

namespace Mender.Recommender.Baselines;

/// <summary>What a SASRec checkpoint's config.json records.</summary>
public sealed record SasRecCheckpointInfo
{
    /// <summary>The method that wrote the checkpoint, so loaders can refuse other kinds.</summary>
    public string Method { get; init; } = "sasrec";
    /// <summary>The model's settings, enough to rebuild it before loading the weights.</summary>
    public SasRecConfig Model { get; init; } = new();
    /// <summary>The dataset the model was trained on, as given.</summary>
    public string? Dataset { get; init; }

    /// <summary>The <see cref="CatalogueFingerprint"/> of the training dataset; null in checkpoints older than it.</summary>
    public string? Catalogue { get; init; }

    /// <summary>
    /// How the model numbers the positions of a history: <see cref="PositionsFromLatest"/>, or 0 in checkpoints from
    /// before it, whose positions counted from the first item and which this version cannot read.
    /// </summary>
    public int Positions { get; init; }

    /// <summary>The <see cref="Positions"/> of checkpoints this version writes: position 0 is the latest item.</summary>
    public const int PositionsFromLatest = 1;

    /// <summary>Refuses a checkpoint whose positions this version would misread.</summary>
    internal void CheckPositions(string directory)
    {
        if (Positions != PositionsFromLatest)
            throw new InvalidDataException($"checkpoint {directory} is a SASRec model from before positions counted back from the latest item; train it again");
    }

    /// <summary>The epoch whose weights were kept: the best on validation.</summary>
    public int Epoch { get; init; }
    /// <summary>Validation NDCG@10 of the kept weights.</summary>
    public double ValidationNdcgAt10 { get; init; }
}

/// <summary>
/// Trains SASRec as in the original recipe, with full softmax: each epoch visits every user once with the last
/// MaxLength + 1 items of their training part, every position predicting the next item; Adam (no weight decay);
/// validation NDCG@10 after each epoch with early stopping, the best weights saved as the checkpoint; the learning rate
/// halves each time validation has not improved for <see cref="SasRecConfig.DecayAfter"/> epochs. The latest
/// state (weights, optimizer moments, dropout RNG, position) is saved after every epoch and when stopping, and a later
/// call on the same directory resumes from it, reproducing the uninterrupted run.
/// </summary>
public sealed class SasRecTrainer
{
    private readonly LeaveOneOutSplit split;
    private readonly SasRecConfig config;
    private readonly int[][] sequences;

    /// <summary>A trainer over the training part of a split; the config's item count is taken from the split.</summary>
    public SasRecTrainer(LeaveOneOutSplit split, SasRecConfig config)
    {
        this.split = split;
        this.config = config with { Items = split.Dataset.Items.Count };
        this.config.Validate();
        sequences = split.Train.Where(s => s.Length >= 2).Select(s => s[Math.Max(0, s.Length - config.MaxLength - 1)..]).ToArray();
        if (sequences.Length == 0) throw new ArgumentException($"dataset '{split.Dataset.Name}' has no training sequence of two items");
    }

    /// <summary>The settings training runs with, item count included.</summary>
    public SasRecConfig Config => config;

    /// <summary>The training sequences: each user's latest items of the training part, up to the model's length plus one.</summary>
    internal IReadOnlyList<int[]> Sequences => sequences;

    /// <summary>Trains until early stopping, the epoch limit or the time limit, saving the best weights to the directory.</summary>
    public TrainResult Train(string directory, string? datasetPath = null, TimeSpan? timeLimit = null,
        IProgress<TrainProgress>? progress = null, CancellationToken cancellation = default)
    {
        if (RunDirectory.HoldsCheckpoint(directory) && RunDirectory.Open(directory) is { Method: "sasrec" } run)
            run.ReadConfig<SasRecCheckpointInfo>().CheckPositions(directory);
        var stepsPerEpoch = (sequences.Length + config.BatchSize - 1) / config.BatchSize;
        var loop = new TrainingLoop
        {
            SampleCount = sequences.Length,
            BatchSize = config.BatchSize,
            MaxSteps = (long)stepsPerEpoch * config.MaxEpochs,
            ValidateEvery = stepsPerEpoch,
            Patience = config.Patience,
            DecayAfter = config.DecayAfter,
            Seed = config.Seed,
        };
        return loop.Run(directory, new Run(this, directory, datasetPath, stepsPerEpoch), timeLimit, progress, cancellation);
    }

    /// <summary>
    /// One training run of a fresh model: Adam without weight decay at a constant rate that halves when validation
    /// stalls, validated after each epoch.
    /// </summary>
    private sealed class Run : ITrainingRun
    {
        private readonly SasRecTrainer trainer;
        private readonly SasRecModel model;
        private readonly AdamW optimizer;
        private readonly SasRecStep trainStep;
        private readonly IReadOnlyList<TrainingSample> validation;
        private readonly string? datasetPath;
        private readonly long stepsPerEpoch;
        private readonly string directory;

        public Run(SasRecTrainer trainer, string directory, string? datasetPath, long stepsPerEpoch)
        {
            this.trainer = trainer;
            this.directory = directory;
            this.datasetPath = datasetPath;
            this.stepsPerEpoch = stepsPerEpoch;
            model = new SasRecModel(trainer.config);
            optimizer = SasRecStep.NewOptimizer(model);
            trainStep = new SasRecStep(model, optimizer);
            validation = LeaveOneOutEvaluator.Subset(trainer.split.Validation, trainer.config.ValidationUsers);
        }

        public Module Model => model;
        public Optimizer Optimizer => optimizer;
        public Rng Random => model.Random;

        public float Step(ReadOnlySpan<int> samples, long step, double budgetUsed, double rateScale)
        {
            var batch = new int[samples.Length][];
            for (var i = 0; i < samples.Length; i++) batch[i] = trainer.sequences[samples[i]];
            optimizer.LearningRate = (float)(trainer.config.LearningRate * rateScale);
            return trainStep.Take(batch);
        }

        public double Validate()
        {
            var ndcg = validation.Count == 0 ? 0 : LeaveOneOutEvaluator.Evaluate(new SasRecRecommender(model), trainer.split.Dataset, validation).NdcgAt10;
            model.Train();
            return ndcg;
        }

        public void SaveBest(long step, double ndcgAt10) => Checkpoint.Save(directory, model, new SasRecCheckpointInfo
        {
            Model = trainer.config,
            Dataset = datasetPath,
            Catalogue = CatalogueFingerprint.Of(trainer.split.Dataset),
            Positions = SasRecCheckpointInfo.PositionsFromLatest,
            Epoch = (int)(step / stepsPerEpoch),
            ValidationNdcgAt10 = ndcgAt10,
        });
    }
}
