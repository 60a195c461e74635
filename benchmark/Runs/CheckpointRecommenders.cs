using Mender.Data;
using Mender.Data.Runs;
using Mender.Recommender.Baselines;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Model;

namespace Mender.Benchmark.Runs;

/// <summary>
/// Opens what `mender train` leaves in a run directory as a benchmark recommender: a SASRec checkpoint (config.json
/// method "sasrec") or a Mender checkpoint in tiger or mender mode, with its SIDs and text embedder as recorded.
/// Embedders are fitted once per dataset and spec and shared between checkpoints.
/// </summary>
public sealed class CheckpointRecommenders(Dataset dataset)
{
    private readonly TextEmbedders embedders = new(dataset);

    /// <summary>The run directory's checkpoint as a recommender.</summary>
    /// <param name="directory">A run directory left by <c>mender train</c>.</param>
    /// <param name="beam">Beam width of a Mender checkpoint's search; null keeps the checkpoint's own.</param>
    public IPreferenceRecommender Open(string directory, int? beam = null)
    {
        var run = RunDirectory.Open(directory);
        var full = run.Path;
        if (run.Method == RunDirectory.SasRec)
        {
            return new HistoryOnlyRecommender(SasRecRecommender.Load(full, dataset), full);
        }
        var trained = TrainedMender.Open(full, embedders);
        return new MenderModeRecommender(trained.Recommender(beam), trained.Embedder, trained.Model.Config.PreferenceDim, full);
    }
}
