using Mender.Data;
using Mender.Data.Runs;
using Mender.Numerics.Autograd;
using Mender.Recommender.Evaluation;
using Mender.Recommender.Inference;

namespace Mender.Recommender.Baselines;

/// <summary>SASRec's ranking: the last position's hidden state scored against every item, top-k over the full catalogue.</summary>
public sealed class SasRecRecommender(SasRecModel model, int batchSize = 256) : IRecommender
{
    /// <inheritdoc/>
    public string Name => "sasrec";

    /// <summary>The trained model the recommender scores with.</summary>
    public SasRecModel Model => model;

    /// <summary>Loads the checkpoint in <paramref name="directory"/> to rank the items of <paramref name="dataset"/>, the catalogue it was trained on.</summary>
    public static SasRecRecommender Load(string directory, Dataset dataset)
    {
        var run = RunDirectory.Open(directory);
        var info = run.ReadConfig<SasRecCheckpointInfo>();
        CatalogueFingerprint.Check(info.Catalogue, dataset, directory);
        info.CheckPositions(directory);
        SasRecModel model;
        try
        {
            model = new SasRecModel(info.Model);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"checkpoint {directory}: {e.Message}", e);
        }
        if (info.Model.Items != dataset.Items.Count)
            throw new InvalidDataException($"checkpoint {directory} scores {info.Model.Items} items but dataset '{dataset.Name}' has {dataset.Items.Count}");
        run.LoadWeightsInto(model);
        return new SasRecRecommender(model);
    }

    /// <inheritdoc/>
    public int[][] Recommend(IReadOnlyList<TrainingSample> cases, int k)
    {
        model.Eval();
        var results = new int[cases.Count][];
        var maxLength = model.Config.MaxLength;
        for (var start = 0; start < cases.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, cases.Count - start);
            var length = 1;
            for (var i = 0; i < count; i++) length = Math.Max(length, Math.Min(maxLength, cases[start + i].History.Length));
            var tokens = new int[count * length];
            var last = new int[count];
            for (var i = 0; i < count; i++)
            {
                var history = cases[start + i].History;
                var n = Math.Min(maxLength, history.Length);
                for (var j = 0; j < n; j++) tokens[i * length + j] = history[history.Length - n + j] + 1;
                last[i] = i * length + Math.Max(0, n - 1);
            }
            using var scope = Tape.NoGrad();
            var scores = model.Scores(model.Forward(tokens, count, length), last).Span;
            foreach (var score in scores)
                if (float.IsNaN(score)) throw NaNScores.Error();
            var items = model.Config.Items;
            for (var i = 0; i < count; i++) results[start + i] = TopK(scores.Slice(i * items, items), k);
        }
        return results;
    }

    /// <summary>Indices of the k largest values, largest first (ties to the lower index).</summary>
    public static int[] TopK(ReadOnlySpan<float> scores, int k)
    {
        k = Math.Min(k, scores.Length);
        var best = new int[k];
        var values = new float[k];
        var filled = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var v = scores[i];
            if (filled == k && v <= values[k - 1]) continue;
            var at = filled < k ? filled++ : k - 1;
            while (at > 0 && values[at - 1] < v)
            {
                values[at] = values[at - 1];
                best[at] = best[at - 1];
                at--;
            }
            values[at] = v;
            best[at] = i;
        }
        return best;
    }
}
