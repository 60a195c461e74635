using System.Text.Json;
using Mender.Numerics;
using Mender.Numerics.Checkpoints;
using Mender.Numerics.Modules;
using Mender.Numerics.Optim;

namespace Mender.Recommender.Model;

/// <summary>
/// trainer.json: where an interrupted run stands, so that resuming continues the same run (same batches, same dropout
/// masks). The latest weights and optimizer moments live in state/ next to it; the best weights in the run directory.
/// </summary>
public sealed record TrainerState
{
    /// <summary>The state file's name inside a run directory.</summary>
    public const string FileName = "trainer.json";
    /// <summary>The folder of the resumable state inside a run directory.</summary>
    public const string StateDirectory = "state";
    /// <summary>The optimizer state's file name inside the state folder.</summary>
    public const string OptimizerFile = "optimizer.safetensors";

    /// <summary>Training steps done.</summary>
    public long Step { get; init; }
    /// <summary>The random generator's state, so a resumed run draws the same batches and dropout.</summary>
    public ulong[] Rng { get; init; } = [];
    /// <summary>The best validation NDCG@10 so far; -1 before the first validation.</summary>
    public double BestNdcgAt10 { get; init; } = -1;
    /// <summary>The step of the best validation.</summary>
    public long BestStep { get; init; }
    /// <summary>Validations since the best, counted against the patience.</summary>
    public int EvaluationsWithoutImprovement { get; init; }
    /// <summary>What the learning rate is multiplied by: 1 until validation stalls long enough to halve it.</summary>
    public double RateScale { get; init; } = 1;
    /// <summary>Training time spent so far, over all resumed runs.</summary>
    public double ElapsedSeconds { get; init; }
    /// <summary>True once training stopped for good, so a resume does nothing.</summary>
    public bool Finished { get; init; }
    /// <summary>The optimizer state's path, relative to the run directory.</summary>
    public string OptimizerState { get; init; } = Path.Combine(StateDirectory, OptimizerFile);
    /// <summary>The model weights' path at the last step, relative to the run directory.</summary>
    public string ModelState { get; init; } = Path.Combine(StateDirectory, "model.safetensors");

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>Writes the state file into the run directory, atomically.</summary>
    public void Save(string directory)
    {
        var path = Path.Combine(directory, FileName);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, Json));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Saves the latest weights and optimizer moments and, last, the state that names them; returns that state.</summary>
    public TrainerState Advance(string directory, Module model, Optimizer optimizer, Rng random, long step, double seconds, bool finished)
    {
        Directory.CreateDirectory(Path.Combine(directory, StateDirectory));
        Checkpoint.SaveParameters(Path.Combine(directory, ModelState), model);
        SafeTensors.Save(Path.Combine(directory, OptimizerState), optimizer.State());
        var next = this with { Step = step, Rng = random.State, ElapsedSeconds = seconds, Finished = finished };
        next.Save(directory);
        return next;
    }

    /// <summary>
    /// The run's state in <paramref name="directory"/>: the saved one, with the model's weights, the optimizer's
    /// moments and the RNG brought back to where it was saved (unless that run had finished), or a fresh one.
    /// </summary>
    public static TrainerState Resume(string directory, Module model, Optimizer optimizer, Rng random, out bool resumed)
    {
        var state = Load(directory);
        resumed = state is not null;
        if (state is null) return new TrainerState { Rng = random.State };
        if (!state.Finished)
        {
            Checkpoint.LoadParameters(Path.Combine(directory, state.ModelState), model);
            optimizer.LoadState(SafeTensors.Load(Path.Combine(directory, state.OptimizerState)).Tensors, state.OptimizerState);
            random.State = state.Rng;
        }
        return state;
    }

    /// <summary>
    /// The share of a run's time budget spent after <paramref name="seconds"/> of training (0 without a budget). The
    /// budget covers the whole run, so an interrupted run resumed with the same limit ends where the uninterrupted one would.
    /// </summary>
    public static double BudgetUsed(double seconds, TimeSpan? budget) => budget switch
    {
        null => 0,
        { TotalSeconds: <= 0 } => 1,
        { } limit => seconds / limit.TotalSeconds,
    };

    /// <summary>Time left: the remaining steps at the current pace, or what is left of the budget if that ends sooner.</summary>
    public static TimeSpan Eta(long stepsLeft, double secondsPerStep, double seconds, TimeSpan? budget)
    {
        var bySteps = stepsLeft * secondsPerStep;
        return TimeSpan.FromSeconds(budget is { } limit ? Math.Clamp(limit.TotalSeconds - seconds, 0, bySteps) : bySteps);
    }

    /// <summary>What training reports when asked to go on with a run that had already finished.</summary>
    public TrainResult FinishedResult() => new(StopReason.MaxSteps, Step, BestStep, BestNdcgAt10, true, TimeSpan.Zero, []);

    /// <summary>Reads the state file of a run directory; null when the run never saved one.</summary>
    public static TrainerState? Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid: {e.Message}", e);
        }
    }
}
