using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mender.Recommender.Model;

/// <summary>
/// Shape of the Mender encoder-decoder. Defaults are the paper's (d 128, 6 heads × 64, FF 1024, dropout 0.2, 4 + 4 layers,
/// history of 20 items); <see cref="Cpu"/> is a smaller model for quick runs on two cores.
/// </summary>
public sealed record MenderModelConfig
{
    public MenderMode Mode { get; init; } = MenderMode.Tiger;
    public int ModelDim { get; init; } = 128;
    public int Heads { get; init; } = 6;
    public int HeadDim { get; init; } = 64;
    public int FeedForwardDim { get; init; } = 1024;
    public float Dropout { get; init; } = 0.2f;
    public int EncoderLayers { get; init; } = 4;
    public int DecoderLayers { get; init; } = 4;
    public int MaxHistory { get; init; } = 20;

    /// <summary>Width of the preference text embedding (the embedder's output); 0 in tiger mode.</summary>
    public int PreferenceDim { get; init; }

    /// <summary>Adds each history item's projected text embedding to its code embeddings.</summary>
    public bool ItemText { get; init; }

    /// <summary>Width of the item text embeddings when <see cref="ItemText"/> is on (set from the embeddings).</summary>
    public int ItemTextDim { get; init; }

    /// <summary>Values each SID position may take (from the SID table); the last is the collision code's.</summary>
    public int[] CodebookSizes { get; init; } = [];

    public ulong Seed { get; init; } = 42;

    public static MenderModelConfig Paper => new();

    public static MenderModelConfig Cpu => new()
    {
        ModelDim = 64, Heads = 4, HeadDim = 16, FeedForwardDim = 256, Dropout = 0.1f, EncoderLayers = 2, DecoderLayers = 2,
    };

    public void Validate()
    {
        if (ModelDim < 1 || Heads < 1 || HeadDim < 1 || FeedForwardDim < 1 || EncoderLayers < 1 || DecoderLayers < 1 || MaxHistory < 1)
            throw new ArgumentException($"model sizes must be positive: {this}");
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"dropout {Dropout} is not in [0, 1)");
        if (CodebookSizes.Length == 0 || CodebookSizes.Any(s => s < 1))
            throw new ArgumentException("the model needs the SID codebook sizes (one positive size per SID position)");
        if (Mode == MenderMode.Mender && PreferenceDim < 1)
            throw new ArgumentException("mender mode needs the preference embedding width (PreferenceDim)");
        if (ItemText && ItemTextDim < 1)
            throw new ArgumentException("item text input needs the item text embedding width (ItemTextDim)");
    }
}

/// <summary>Optimisation settings of a training run.</summary>
public sealed record MenderTrainingConfig
{
    public int BatchSize { get; init; } = 256;
    public float LearningRate { get; init; } = 1e-3f;
    public float WeightDecay { get; init; } = 0.01f;
    public int WarmupSteps { get; init; } = 1000;
    public int MaxSteps { get; init; } = 200_000;
    public float ClipNorm { get; init; } = 1f;

    /// <summary>Validation NDCG@10 every this many steps.</summary>
    public int EvalEvery { get; init; } = 2000;

    /// <summary>Stop after this many validations without a new best.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>Validation users scored at each check (an evenly spaced subset; 0 means all).</summary>
    public int ValidationUsers { get; init; } = 2000;

    public int Beam { get; init; } = 20;
    public ulong Seed { get; init; } = 42;

    public static MenderTrainingConfig Paper => new();

    public static MenderTrainingConfig Cpu => new() { BatchSize = 128, WarmupSteps = 500, MaxSteps = 30_000, EvalEvery = 1000, ValidationUsers = 1000 };

    public void Validate()
    {
        if (BatchSize < 1 || MaxSteps < 1 || EvalEvery < 1 || Patience < 1 || Beam < 1 || WarmupSteps < 0 || ValidationUsers < 0)
            throw new ArgumentException($"training settings must be positive: {this}");
        if (!(LearningRate > 0) || !(ClipNorm > 0) || !(WeightDecay >= 0))
            throw new ArgumentException($"learning rate and clip norm must be positive, weight decay non-negative: {this}");
    }
}

/// <summary>A run's settings as a JSON file: <c>{ "model": {...}, "training": {...} }</c>.</summary>
public sealed record MenderConfig
{
    public MenderModelConfig Model { get; init; } = new();
    public MenderTrainingConfig Training { get; init; } = new();

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>A named preset: <c>paper</c> or <c>cpu</c>.</summary>
    public static MenderConfig Preset(string name) => name.ToLowerInvariant() switch
    {
        "paper" => new MenderConfig { Model = MenderModelConfig.Paper, Training = MenderTrainingConfig.Paper },
        "cpu" => new MenderConfig { Model = MenderModelConfig.Cpu, Training = MenderTrainingConfig.Cpu },
        _ => throw new ArgumentException($"unknown preset '{name}' (paper or cpu)"),
    };

    public static MenderConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"config file {path} does not exist", path);
        try
        {
            return JsonSerializer.Deserialize<MenderConfig>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"config file {path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"config file {path} is not valid: {e.Message}", e);
        }
    }
}
