using Mender.Data;
using Mender.Data.Runs;
using Mender.Numerics.Checkpoints;

namespace Mender.Recommender.Model;

/// <summary>
/// What a checkpoint directory's config.json records: the model and training settings, and where its inputs came from,
/// so the checkpoint alone is enough to rebuild the model and recommend (dataset, SID build, preference embedder).
/// </summary>
public sealed record MenderCheckpointInfo
{
    /// <summary>Tells Mender checkpoints from baseline ones (SASRec records "sasrec").</summary>
    public string Method { get; init; } = "mender";

    /// <summary>The model's settings, enough to rebuild it before loading the weights.</summary>
    public MenderModelConfig Model { get; init; } = new();
    /// <summary>The training settings the checkpoint was trained with.</summary>
    public MenderTrainingConfig Training { get; init; } = new();

    /// <summary>The dataset the model was trained on (path as given to the loader).</summary>
    public string? Dataset { get; init; }

    /// <summary>The <see cref="CatalogueFingerprint"/> of the training dataset; null in checkpoints older than it.</summary>
    public string? Catalogue { get; init; }

    /// <summary>The SID build directory (holding sids.tsv).</summary>
    public string? Sids { get; init; }

    /// <summary>The preference store directory used for training (mender mode).</summary>
    public string? Preferences { get; init; }

    /// <summary>The text embedder of preferences and item texts, e.g. "lexical seed=42" (mender mode or item text input).</summary>
    public string? Embedder { get; init; }

    /// <summary>The training step at which these weights were saved and their validation NDCG@10.</summary>
    public long Step { get; init; }

    /// <summary>Validation NDCG@10 of the saved weights.</summary>
    public double ValidationNdcgAt10 { get; init; }

    /// <summary>What wrote the checkpoint, kept for provenance.</summary>
    public string ProducedBy { get; init; } = "";
}

/// <summary>Saves and loads Mender checkpoints (model.safetensors + config.json).</summary>
public static class MenderCheckpoint
{
    /// <summary>Writes the model's weights and its info, with the info's model settings taken from the model.</summary>
    public static void Save(string directory, MenderModel model, MenderCheckpointInfo info) =>
        Checkpoint.Save(directory, model, info with { Model = model.Config });

    /// <summary>Reads a Mender checkpoint from a directory.</summary>
    public static (MenderModel Model, MenderCheckpointInfo Info) Load(string directory) => Load(RunDirectory.Open(directory));

    /// <summary>Reads a Mender checkpoint from an opened run directory.</summary>
    public static (MenderModel Model, MenderCheckpointInfo Info) Load(RunDirectory run)
    {
        var directory = run.Path;
        var info = run.ReadConfig<MenderCheckpointInfo>();
        MenderModel model;
        try
        {
            model = new MenderModel(info.Model);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"checkpoint {directory}: {e.Message}", e);
        }
        run.LoadWeightsInto(model);
        model.Eval();
        return (model, info);
    }
}
