using Mender.Numerics;
using Mender.Numerics.Modules;
using Mender.Numerics.Optim;

namespace Mender.Recommender.Model;

/// <summary>What <see cref="TrainingLoop"/> drives: a model, its optimizer and RNG, and what one step and one validation mean for it.</summary>
internal interface ITrainingRun
{
    Module Model { get; }
    Optimizer Optimizer { get; }

    /// <summary>The model's RNG (dropout), saved with the run so that resuming draws the same masks.</summary>
    Rng Random { get; }

    /// <summary>
    /// One optimizer step on the samples at <paramref name="samples"/>; <paramref name="step"/> counts the steps before
    /// it and <paramref name="budgetUsed"/> is the share of the time budget spent, for schedules that anneal to it.
    /// <paramref name="rateScale"/> multiplies the run's own learning rate: below 1 once validation has stalled (see
    /// <see cref="TrainingLoop.DecayAfter"/>). Returns the batch loss.
    /// </summary>
    float Step(ReadOnlySpan<int> samples, long step, double budgetUsed, double rateScale);

    /// <summary>Validation NDCG@10; leaves the model in training mode.</summary>
    double Validate();

    /// <summary>Saves the current weights as the run's best checkpoint.</summary>
    void SaveBest(long step, double ndcgAt10);
}
