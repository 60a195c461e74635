using Mender.Numerics;

namespace Mender.Recommender.Model;

/// <summary>
/// The loop every trainer runs: shuffled epochs of fixed-size batches, validation every few steps with early stopping,
/// a time budget and cancellation that stop cleanly after the current step, and a saved state (trainer.json) from which
/// a later run on the same directory resumes, reproducing the uninterrupted run.
/// </summary>
internal sealed class TrainingLoop
{
    /// <summary>Training samples; a step takes the next <see cref="BatchSize"/> of them in the epoch's order.</summary>
    public required int SampleCount { get; init; }

    public required int BatchSize { get; init; }
    public required long MaxSteps { get; init; }

    /// <summary>Steps between validations; the last step validates too.</summary>
    public required long ValidateEvery { get; init; }

    /// <summary>Validations without improvement that end the run.</summary>
    public required int Patience { get; init; }

    /// <summary>
    /// Validations without improvement after which the learning rate halves, and again after each as many more (0: never);
    /// the scale is saved with the run, so a resumed run goes on at the same rate.
    /// </summary>
    public int DecayAfter { get; init; }

    /// <summary>Seeds the epochs' sample order.</summary>
    public required ulong Seed { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public long StepsPerEpoch => (SampleCount + BatchSize - 1) / BatchSize;

    /// <summary>
    /// Trains into <paramref name="directory"/>, resuming if it holds an unfinished run. <paramref name="timeLimit"/> is
    /// the run's whole training time, resumed parts included. Returns when a stop condition holds; the best weights
    /// have then been saved through <see cref="ITrainingRun.SaveBest"/>.
    /// </summary>
    public TrainResult Run(string directory, ITrainingRun run, TimeSpan? timeLimit, IProgress<TrainProgress>? progress, CancellationToken cancellation)
    {
        Directory.CreateDirectory(directory);
        var state = TrainerState.Resume(directory, run.Model, run.Optimizer, run.Random, out var resumed);
        if (state.Finished) return state.FinishedResult();

        var started = Clock.GetTimestamp();
        var previousSeconds = state.ElapsedSeconds;
        double Seconds() => previousSeconds + Clock.GetElapsedTime(started).TotalSeconds;
        var losses = new List<float>();
        var step = state.Step;
        var startStep = step;
        var stepsPerEpoch = StepsPerEpoch;
        int[] order = [];
        long orderEpoch = -1;
        StopReason? reason = null;
        run.Model.Train();

        double Validate(long at)
        {
            var ndcg = run.Validate();
            if (ndcg > state.BestNdcgAt10)
            {
                state = state with { BestNdcgAt10 = ndcg, BestStep = at, EvaluationsWithoutImprovement = 0 };
                run.SaveBest(at, ndcg);
            }
            else
            {
                state = state with { EvaluationsWithoutImprovement = state.EvaluationsWithoutImprovement + 1 };
                if (DecayAfter > 0 && state.EvaluationsWithoutImprovement < Patience && state.EvaluationsWithoutImprovement % DecayAfter == 0)
                    state = state with { RateScale = state.RateScale / 2 };
            }
            state = state.Advance(directory, run.Model, run.Optimizer, run.Random, at, Seconds(), false);
            return ndcg;
        }

        while (reason is null)
        {
            if (step >= MaxSteps) { reason = StopReason.MaxSteps; break; }
            if (cancellation.IsCancellationRequested) { reason = StopReason.Cancelled; break; }
            var budgetUsed = TrainerState.BudgetUsed(Seconds(), timeLimit);
            if (budgetUsed >= 1) { reason = StopReason.TimeLimit; break; }

            var epoch = step / stepsPerEpoch;
            if (epoch != orderEpoch)
            {
                order = EpochOrder(SampleCount, Seed, epoch);
                orderEpoch = epoch;
            }
            var first = (int)(step % stepsPerEpoch) * BatchSize;
            var loss = run.Step(order.AsSpan(first, Math.Min(BatchSize, SampleCount - first)), step, budgetUsed, state.RateScale);
            losses.Add(loss);
            step++;

            var secondsPerStep = Clock.GetElapsedTime(started).TotalSeconds / (step - startStep);
            var eta = TrainerState.Eta(MaxSteps - step, secondsPerStep, Seconds(), timeLimit);
            double? validated = null;
            if (step % ValidateEvery == 0 || step == MaxSteps)
            {
                validated = Validate(step);
                if (state.EvaluationsWithoutImprovement >= Patience) reason = StopReason.EarlyStopping;
            }
            progress?.Report(new TrainProgress(step, MaxSteps, Done(step, Seconds(), timeLimit), loss, BatchSize / Math.Max(1e-9, secondsPerStep),
                Clock.GetElapsedTime(started), eta, validated, Math.Max(0, state.BestNdcgAt10), state.BestStep));
        }

        // A budget ends the run between validations, on the weights its schedule annealed to: those are validated too.
        if (reason == StopReason.TimeLimit && step > startStep && step % ValidateEvery != 0) Validate(step);

        // A run stopped before its first validation still leaves a usable best checkpoint.
        if (state.BestNdcgAt10 < 0)
        {
            var ndcg = run.Validate();
            state = state with { BestNdcgAt10 = ndcg, BestStep = step };
            run.SaveBest(step, ndcg);
        }
        var finished = reason is StopReason.MaxSteps or StopReason.EarlyStopping;
        state = state.Advance(directory, run.Model, run.Optimizer, run.Random, step, Seconds(), finished);
        return new TrainResult(reason.Value, step, state.BestStep, state.BestNdcgAt10, resumed, Clock.GetElapsedTime(started), losses);
    }

    /// <summary>The share of the run done: by steps, or by time when the budget runs out first.</summary>
    private double Done(long step, double seconds, TimeSpan? timeLimit) =>
        Math.Min(1, Math.Max(step / (double)MaxSteps, TrainerState.BudgetUsed(seconds, timeLimit)));

    /// <summary>The sample order of an epoch: a function of seed and epoch only, so a resumed run sees the same batches.</summary>
    private static int[] EpochOrder(int count, ulong seed, long epoch)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++) order[i] = i;
        new Rng(seed * 1_000_003UL + (ulong)epoch + 1).Shuffle(order.AsSpan());
        return order;
    }
}
