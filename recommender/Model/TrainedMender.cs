using Mender.Data;
using Mender.Data.Runs;
using Mender.Numerics.Tensors;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Inference;
using Mender.Recommender.SemanticIds;

namespace Mender.Recommender.Model;

/// <summary>
/// A tiger- or mender-mode run directory opened for inference: the model with its item text attached when it reads
/// it, the SID table it was trained on, and the embedder its preferences are written in.
/// </summary>
public sealed class TrainedMender
{
    private TrainedMender(string directory, MenderModel model, MenderCheckpointInfo info, SidTable sids, LexicalEmbeddingGenerator? embedder)
    {
        Directory = directory;
        Model = model;
        Info = info;
        Sids = sids;
        Embedder = embedder;
    }

    /// <summary>The checkpoint directory.</summary>
    public string Directory { get; }
    /// <summary>The trained model.</summary>
    public MenderModel Model { get; }
    /// <summary>What the checkpoint records about the model and its training.</summary>
    public MenderCheckpointInfo Info { get; }
    /// <summary>The SIDs of the catalogue's items, which decoded SIDs are mapped back through.</summary>
    public SidTable Sids { get; }

    /// <summary>The preference (and item text) embedder; null for a tiger-mode model without item text.</summary>
    public LexicalEmbeddingGenerator? Embedder { get; }

    /// <summary>Tiger or Mender, as the model was trained.</summary>
    public MenderMode Mode => Model.Config.Mode;

    /// <summary>Opens <paramref name="directory"/> for the dataset of <paramref name="embedders"/>, checking that both agree.</summary>
    public static TrainedMender Open(string directory, TextEmbedders embedders)
    {
        var run = RunDirectory.Open(directory);
        var full = run.Path;
        if (run.Method != RunDirectory.Mender) throw new InvalidDataException($"{full} is not a tiger/mender checkpoint");
        var (model, info) = MenderCheckpoint.Load(run);
        CatalogueFingerprint.Check(info.Catalogue, embedders.Dataset, full);
        var needsEmbedder = model.Config.Mode == MenderMode.Mender || model.Config.ItemText;
        var embedder = needsEmbedder
            ? embedders.Get(info.Embedder ?? throw new InvalidDataException($"checkpoint {full} does not record its text embedder"))
            : null;
        if (model.Config.ItemText) model.AttachItemText(embedders.ItemTextMatrix(info.Embedder!));
        var sids = SidBuilder.LoadFor(info.Sids ?? throw new InvalidDataException($"checkpoint {full} does not record its SID directory"),
            embedders.Dataset);
        return new TrainedMender(full, model, info, sids, embedder);
    }

    /// <summary>A recommender over the model; the beam defaults to the one the model was validated with.</summary>
    public MenderRecommender Recommender(int? beam = null, PreferenceInputs? preferences = null, int batchSize = 32) =>
        new(Model, Sids, beam ?? Info.Training.Beam, preferences, batchSize);
}
