namespace Mender.Numerics.Optim;

/// <summary>A learning rate as a function of the 1-based number of the update about to be applied.</summary>
public abstract class LearningRateSchedule
{
    /// <summary>The rate for the update with this 1-based number.</summary>
    public abstract float At(long step);

    /// <summary>Sets the optimizer's rate for its next step.</summary>
    public void Apply(Optimizer optimizer) => optimizer.LearningRate = At(optimizer.StepCount + 1);
}

/// <summary>Linear warmup from 0 to the peak over warmupSteps, then a half cosine down to minRate at totalSteps (and minRate after).</summary>
public sealed class WarmupCosineSchedule : LearningRateSchedule
{
    /// <summary>A schedule that warms up to the peak and then decays along a half cosine to the minimum.</summary>
    public WarmupCosineSchedule(float peakRate, long warmupSteps, long totalSteps, float minRate = 0f)
    {
        if (warmupSteps < 0 || totalSteps < warmupSteps)
            throw new ArgumentException($"warmup {warmupSteps} and total {totalSteps} steps do not form a schedule");
        PeakRate = peakRate;
        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
        MinRate = minRate;
    }

    /// <summary>The rate at the end of warm-up.</summary>
    public float PeakRate { get; }
    /// <summary>Updates over which the rate rises from 0 to the peak.</summary>
    public long WarmupSteps { get; }
    /// <summary>The update at which the cosine reaches the minimum.</summary>
    public long TotalSteps { get; }
    /// <summary>The rate at the end of the cosine and after it.</summary>
    public float MinRate { get; }

    /// <inheritdoc/>
    public override float At(long step) => At(step, 0);

    /// <summary>
    /// The rate when the run also has a time budget, <paramref name="budgetUsed"/> of which is spent: the cosine follows
    /// whichever runs out first, steps or time, so a run stopped by its time limit has annealed by then.
    /// </summary>
    public float At(long step, double budgetUsed)
    {
        if (step <= WarmupSteps) return PeakRate * step / Math.Max(1, WarmupSteps);
        if (step >= TotalSteps || budgetUsed >= 1) return MinRate;
        var progress = Math.Max((double)(step - WarmupSteps) / (TotalSteps - WarmupSteps), budgetUsed);
        return (float)(MinRate + (PeakRate - MinRate) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}

/// <summary>Linear warmup to the peak, then peak·√(warmup/step) (the Transformer/T5 schedule).</summary>
public sealed class InverseSqrtSchedule : LearningRateSchedule
{
    /// <summary>A schedule that warms up to the peak and then decays as the inverse square root of the step.</summary>
    public InverseSqrtSchedule(float peakRate, long warmupSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(warmupSteps, 1);
        PeakRate = peakRate;
        WarmupSteps = warmupSteps;
    }

    /// <summary>The rate at the end of warm-up.</summary>
    public float PeakRate { get; }
    /// <summary>Updates over which the rate rises from 0 to the peak.</summary>
    public long WarmupSteps { get; }

    /// <inheritdoc/>
    public override float At(long step) => step <= WarmupSteps
        ? PeakRate * step / WarmupSteps
        : (float)(PeakRate * Math.Sqrt((double)WarmupSteps / step));
}
