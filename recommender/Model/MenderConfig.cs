using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mender.Recommender.Model;

/// <summary>
/// Shape of the Mender encoder-decoder. Defaults are the paper's (d 128, 6 heads × 64, FF 1024, dropout 0.2, 4 + 4 layers,
/// history of 20 items); <see cref="Cpu"/> is a smaller model for quick runs on two cores.
/// </summary>
public sealed record MenderModelConfig
{
    /// <summary>Tiger (history only) or Mender (history steered by a preference text).</summary>
    public MenderMode Mode { get; init; } = MenderMode.Tiger;
    /// <summary>Width of the token embeddings and of every layer.</summary>
    public int ModelDim { get; init; } = 128;
    /// <summary>Attention heads per layer.</summary>
    public int Heads { get; init; } = 6;
    /// <summary>Width of one attention head.</summary>
    public int HeadDim { get; init; } = 64;
    /// <summary>Width of the feed-forward sublayers.</summary>
    public int FeedForwardDim { get; init; } = 1024;
    /// <summary>Dropout rate during training.</summary>
    public float Dropout { get; init; } = 0.2f;
    /// <summary>Layers of the encoder, which reads the history.</summary>
    public int EncoderLayers { get; init; } = 4;
    /// <summary>Layers of the decoder, which writes the next item's SID.</summary>
    public int DecoderLayers { get; init; } = 4;
    /// <summary>The most recent items of a history the model reads; older ones are dropped.</summary>
    public int MaxHistory { get; init; } = 20;

    /// <summary>Width of the preference text embedding (the embedder's output); 0 in tiger mode.</summary>
    public int PreferenceDim { get; init; }

    /// <summary>Adds each history item's projected text embedding to its code embeddings.</summary>
    public bool ItemText { get; init; }

    /// <summary>Width of the item text embeddings when <see cref="ItemText"/> is on (set from the embeddings).</summary>
    public int ItemTextDim { get; init; }

    /// <summary>
    /// Adds a learned embedding of each history item's own id to its code embeddings, so items that share codes are
    /// still told apart in the history; the decoder still writes SIDs, so recommendations stay real items.
    /// </summary>
    public bool ItemIds { get; init; }

    /// <summary>Items in the catalogue when <see cref="ItemIds"/> is on (set from the SID table).</summary>
    public int ItemCount { get; init; }

    /// <summary>
    /// While training, the share of history items that read a shared "unknown item" embedding in place of their own
    /// id's, so the model keeps reading their codes rather than memorising ids.
    /// </summary>
    public float ItemIdDropout { get; init; }

    /// <summary>Values each SID position may take (from the SID table); the last is the collision code's.</summary>
    public int[] CodebookSizes { get; init; } = [];

    /// <summary>Seed of the initial weights, so a model can be rebuilt the same.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>The paper's model shape.</summary>
    public static MenderModelConfig Paper => new();

    /// <summary>A smaller model that trains in reasonable time on a CPU.</summary>
    public static MenderModelConfig Cpu => new()
    {
        ModelDim = 64, Heads = 4, HeadDim = 16, FeedForwardDim = 256, Dropout = 0.1f, EncoderLayers = 2, DecoderLayers = 2,
    };

    /// <summary>Throws when a setting is out of range or the shape does not add up, before the model is built.</summary>
    public void Validate()
    {
        ValidateSizes();
        if (CodebookSizes.Length == 0 || CodebookSizes.Any(s => s < 1))
            throw new ArgumentException("the model needs the SID codebook sizes (one positive size per SID position)");
        if (Mode == MenderMode.Mender && PreferenceDim < 1)
            throw new ArgumentException("mender mode needs the preference embedding width (PreferenceDim)");
        if (ItemText && ItemTextDim < 1)
            throw new ArgumentException("item text input needs the item text embedding width (ItemTextDim)");
        if (ItemIds && ItemCount < 1)
            throw new ArgumentException("item id input needs the number of items (ItemCount)");
    }

    /// <summary>The settings a config file gives, checked before the data they are completed from is read.</summary>
    public void ValidateSizes()
    {
        AtLeast(1, ("model.model_dim", ModelDim), ("model.heads", Heads), ("model.head_dim", HeadDim), ("model.feed_forward_dim", FeedForwardDim),
            ("model.encoder_layers", EncoderLayers), ("model.decoder_layers", DecoderLayers), ("model.max_history", MaxHistory));
        if (!(Dropout >= 0 && Dropout < 1)) throw new ArgumentException($"model.dropout must be in [0, 1), got {Dropout}");
        if (!(ItemIdDropout >= 0 && ItemIdDropout < 1)) throw new ArgumentException($"model.item_id_dropout must be in [0, 1), got {ItemIdDropout}");
        if (ItemIdDropout > 0 && !ItemIds) throw new ArgumentException("model.item_id_dropout needs \"item_ids\": true");
    }

    /// <summary>Names the first setting below <paramref name="minimum"/>, as the config file spells it.</summary>
    internal static void AtLeast(int minimum, params (string Name, int Value)[] settings)
    {
        foreach (var (name, value) in settings)
            if (value < minimum) throw new ArgumentException($"{name} must be at least {minimum}, got {value}");
    }
}

/// <summary>Optimisation settings of a training run.</summary>
public sealed record MenderTrainingConfig
{
    /// <summary>Histories per training batch.</summary>
    public int BatchSize { get; init; } = 256;
    /// <summary>The AdamW learning rate reached after warm-up.</summary>
    public float LearningRate { get; init; } = 1e-3f;
    /// <summary>AdamW's weight decay.</summary>
    public float WeightDecay { get; init; } = 0.01f;
    /// <summary>
    /// Decay of the moving average of the weights that validation scores and checkpoints keep (0: the weights
    /// themselves). An average over the last thousand or so steps smooths the noise of the latest updates.
    /// </summary>
    public float WeightAverage { get; init; }
    /// <summary>Steps over which the learning rate rises from 0.</summary>
    public int WarmupSteps { get; init; } = 1000;
    /// <summary>Training steps at most, when validation keeps improving.</summary>
    public int MaxSteps { get; init; } = 200_000;
    /// <summary>Gradients are scaled down to this global norm when longer.</summary>
    public float ClipNorm { get; init; } = 1f;

    /// <summary>Validation NDCG@10 every this many steps.</summary>
    public int EvalEvery { get; init; } = 2000;

    /// <summary>Stop after this many validations without a new best.</summary>
    public int Patience { get; init; } = 10;

    /// <summary>Validation users scored at each check (an evenly spaced subset; 0 means all).</summary>
    public int ValidationUsers { get; init; } = 2000;

    /// <summary>Beam width of the validation decoding.</summary>
    public int Beam { get; init; } = 20;
    /// <summary>Seed of batch order and dropout, so a run can be repeated.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>The paper's training settings.</summary>
    public static MenderTrainingConfig Paper => new();

    /// <summary>Shorter training with smaller batches, for a CPU.</summary>
    public static MenderTrainingConfig Cpu => new() { BatchSize = 128, WarmupSteps = 500, MaxSteps = 30_000, EvalEvery = 1000, ValidationUsers = 1000 };

    /// <summary>Throws when a setting is out of range, before training starts.</summary>
    public void Validate()
    {
        MenderModelConfig.AtLeast(1, ("training.batch_size", BatchSize), ("training.max_steps", MaxSteps), ("training.eval_every", EvalEvery),
            ("training.patience", Patience), ("training.beam", Beam));
        MenderModelConfig.AtLeast(0, ("training.warmup_steps", WarmupSteps), ("training.validation_users", ValidationUsers));
        if (!(LearningRate > 0 && float.IsFinite(LearningRate))) throw new ArgumentException($"training.learning_rate must be a positive number, got {LearningRate}");
        if (!(ClipNorm > 0 && float.IsFinite(ClipNorm))) throw new ArgumentException($"training.clip_norm must be a positive number, got {ClipNorm}");
        if (!(WeightDecay >= 0 && float.IsFinite(WeightDecay))) throw new ArgumentException($"training.weight_decay must be 0 or more, got {WeightDecay}");
        if (!(WeightAverage >= 0 && WeightAverage < 1)) throw new ArgumentException($"training.weight_average must be in [0, 1), got {WeightAverage}");
    }
}

/// <summary>A run's settings as a JSON file: <c>{ "model": {...}, "training": {...} }</c>.</summary>
public sealed record MenderConfig
{
    /// <summary>The model's shape.</summary>
    public MenderModelConfig Model { get; init; } = new();
    /// <summary>How the model is trained.</summary>
    public MenderTrainingConfig Training { get; init; } = new();

    /// <summary>How config files are read and written: snake_case names and enums, nulls refused where not allowed.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        // "model": null is a mistake to report, not a section to dereference later.
        RespectNullableAnnotations = true,
    };

    /// <summary>A named preset: <c>paper</c> or <c>cpu</c>.</summary>
    public static MenderConfig Preset(string name) => name.ToLowerInvariant() switch
    {
        "paper" => new MenderConfig { Model = MenderModelConfig.Paper, Training = MenderTrainingConfig.Paper },
        "cpu" => new MenderConfig { Model = MenderModelConfig.Cpu, Training = MenderTrainingConfig.Cpu },
        _ => throw new ArgumentException($"unknown preset '{name}' (paper or cpu)"),
    };

    /// <summary>Reads and checks a JSON config file; throws with the file's name when it is missing or malformed.</summary>
    public static MenderConfig Load(string path)
    {
        if (Directory.Exists(path)) throw new InvalidDataException($"config file {path} is a folder, not a file");
        if (!File.Exists(path)) throw new FileNotFoundException($"config file {path} does not exist", path);
        var text = File.ReadAllText(path);
        try
        {
            using (var document = JsonDocument.Parse(text)) ConfigKeys.Check(document.RootElement, typeof(MenderConfig), path);
            return JsonSerializer.Deserialize<MenderConfig>(text, Json) ?? throw new InvalidDataException($"config file {path} is empty");
        }
        catch (JsonException e)
        {
            // System.Text.Json's own text names .NET types; the path and line are what the user can act on.
            var at = e.Path is { Length: > 2 } where ? $"the value of \"{where[2..]}\"" : "the JSON";
            var line = e.LineNumber is { } n ? $" (line {n + 1})" : "";
            throw new InvalidDataException($"config file {path}: {at} is not valid{line}; settings are {{\"model\": {{...}}, \"training\": {{...}}}} with numbers, true/false and text", e);
        }
    }
}
