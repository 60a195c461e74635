using System.Text.Json;
using Mender.Numerics.Checkpoints;
using Mender.Numerics.Tensors;
using Mender.Recommender.Baselines;
using Mender.Recommender.Data;
using Mender.Recommender.Embeddings;
using Mender.Recommender.Inference;
using Mender.Recommender.Model;
using Mender.Recommender.SemanticIds;
using Mender.Recommender.Text;

namespace Mender.Benchmark.Runs;

/// <summary>
/// Opens what `mender train` leaves in a run directory as a benchmark recommender: a SASRec checkpoint (config.json
/// method "sasrec") or a Mender checkpoint in tiger or mender mode, with its SIDs and text embedder as recorded.
/// Embedders are fitted once per dataset and spec and shared between checkpoints.
/// </summary>
public sealed class CheckpointRecommenders(Dataset dataset)
{
    private const string LexicalPrefix = "lexical seed=";
    private readonly Dictionary<string, LexicalEmbeddingGenerator> embedders = new(StringComparer.Ordinal);

    public IPreferenceRecommender Open(string directory, int? beam = null)
    {
        var full = Path.GetFullPath(directory);
        if (MethodOf(full) == "sasrec")
        {
            var sasrec = SasRecRecommender.Load(full);
            if (sasrec.Model.Config.Items != dataset.Items.Count)
                throw new InvalidDataException($"checkpoint {full} scores {sasrec.Model.Config.Items} items but dataset '{dataset.Name}' has {dataset.Items.Count}");
            return new HistoryOnlyRecommender(sasrec, full);
        }
        var (model, info) = MenderCheckpoint.Load(full);
        var needsEmbedder = model.Config.Mode == MenderMode.Mender || model.Config.ItemText;
        var embedder = needsEmbedder
            ? Embedder(info.Embedder ?? throw new InvalidDataException($"checkpoint {full} does not record its text embedder"))
            : null;
        if (model.Config.ItemText) model.AttachItemText(ItemTextMatrix(embedder!));
        var sidsDirectory = info.Sids ?? throw new InvalidDataException($"checkpoint {full} does not record its SID directory");
        var sids = SidBuilder.Load(sidsDirectory).Table;
        if (sids.Count != dataset.Items.Count)
            throw new InvalidDataException($"the SIDs in '{sidsDirectory}' cover {sids.Count} items but dataset '{dataset.Name}' has {dataset.Items.Count}");
        var width = beam ?? info.Training.Beam;
        var recommender = new MenderRecommender(model, sids, width);
        return new MenderModeRecommender(recommender, embedder, model.Config.PreferenceDim, full);
    }

    /// <summary>The lexical embedder a checkpoint names ("lexical seed=N"), fitted on this dataset's item texts.</summary>
    private LexicalEmbeddingGenerator Embedder(string spec)
    {
        if (embedders.TryGetValue(spec, out var known)) return known;
        if (!spec.StartsWith(LexicalPrefix, StringComparison.Ordinal) || !int.TryParse(spec[LexicalPrefix.Length..], out var seed))
            throw new InvalidDataException($"unknown text embedder '{spec}' (expected '{LexicalPrefix}N')");
        var fitted = LexicalEmbeddingGenerator.Fit(dataset.Items.Select(ItemText.Render).ToArray(), new LexicalEmbedderOptions { Seed = seed });
        embedders[spec] = fitted;
        return fitted;
    }

    private Tensor ItemTextMatrix(LexicalEmbeddingGenerator embedder)
    {
        var width = embedder.Dimensions;
        var matrix = new Tensor(dataset.Items.Count, width);
        for (var i = 0; i < dataset.Items.Count; i++)
            embedder.Embed(ItemText.Render(dataset.Items[i])).CopyTo(matrix.Span.Slice(i * width, width));
        return matrix;
    }

    /// <summary>The checkpoint's method from its config.json ("mender" when it does not say).</summary>
    private static string MethodOf(string directory)
    {
        var path = Path.Combine(directory, Checkpoint.ConfigFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{directory} holds no checkpoint ({Checkpoint.ConfigFile} is missing)", path);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.TryGetProperty("Method", out var method) ? method.GetString() ?? "mender" : "mender";
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
