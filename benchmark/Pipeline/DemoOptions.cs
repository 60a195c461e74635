using Mender.Data.Demo;
using Mender.Recommender.Model;

namespace Mender.Benchmark.Pipeline;

/// <summary>
/// What `mender demo` runs. The defaults aim at the whole pipeline, build included, in about five minutes on two cores
/// with mender mode ahead of tiger mode on both steering axes: both modes train the cpu-preset model for the same fixed
/// number of steps (a time cap only guards slow machines), and the benchmark keeps a seeded subset of the test users.
/// </summary>
public sealed record DemoOptions
{
    /// <summary>The size and seed of the generated demo world.</summary>
    public DemoWorldOptions World { get; init; } = new();

    /// <summary>A GGUF model to write the preferences with; null runs the built-in lexicon extractor.</summary>
    public string? Model { get; init; }

    /// <summary>Prompts in flight at once when a model writes the preferences.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Seeds the semantic IDs, the training runs and the benchmark's choice of users.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// Codes per SID level. Smaller than the usual 256: the demo's 3,000 items then share first codes in groups of
    /// about 50, which a short training run learns far sooner than 256 groups of about 12.
    /// </summary>
    public int SidCodebookSize { get; init; } = 64;

    /// <summary>Training steps of each mode, the same for both so they compare fairly.</summary>
    public int TrainSteps { get; init; } = 700;

    /// <summary>Peak learning rate: higher than the preset's, since the demo's runs are short.</summary>
    public float LearningRate { get; init; } = 3e-3f;

    /// <summary>Each mode stops here even before <see cref="TrainSteps"/>, keeping its best checkpoint.</summary>
    public double TrainMinutes { get; init; } = 1.5;

    /// <summary>Test cases per benchmark axis (0 = all).</summary>
    public int BenchSamples { get; init; } = 1000;

    /// <summary>Items per list in the steering example.</summary>
    public int ExampleItems { get; init; } = 5;

    /// <summary>The command line, recorded with the artefacts.</summary>
    public string Command { get; init; } = "mender demo";

    /// <summary>The cpu preset cut to <see cref="TrainSteps"/>: a short warmup and two validations.</summary>
    public MenderConfig TrainConfig(MenderMode mode)
    {
        var preset = MenderConfig.Preset("cpu");
        return preset with
        {
            Model = preset.Model with { Mode = mode, Seed = (ulong)Seed },
            Training = preset.Training with
            {
                MaxSteps = TrainSteps,
                LearningRate = LearningRate,
                WarmupSteps = Math.Min(100, TrainSteps / 5),
                EvalEvery = Math.Max(1, TrainSteps / 2),
                ValidationUsers = 300,
                Seed = (ulong)Seed,
            },
        };
    }

    /// <summary>Throws when a setting is out of range, or when <see cref="Model"/> names a file that does not exist.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(TrainSteps, 1, nameof(TrainSteps));
        ArgumentOutOfRangeException.ThrowIfLessThan(SidCodebookSize, 2, nameof(SidCodebookSize));
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), $"learning rate {LearningRate} must be positive");
        if (!(TrainMinutes > 0)) throw new ArgumentOutOfRangeException(nameof(TrainMinutes), $"{TrainMinutes} minutes is no time to train");
        ArgumentOutOfRangeException.ThrowIfNegative(BenchSamples, nameof(BenchSamples));
        ArgumentOutOfRangeException.ThrowIfLessThan(ExampleItems, 1, nameof(ExampleItems));
        ArgumentOutOfRangeException.ThrowIfLessThan(Parallelism, 1, nameof(Parallelism));
        if (Model is not null && !File.Exists(Model)) throw new FileNotFoundException($"model file '{Model}' does not exist", Model);
    }
}
