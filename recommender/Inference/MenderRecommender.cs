using Mender.Data;
using Mender.Numerics;
using Mender.Numerics.Autograd;
using Mender.Numerics.Tensors;
using Mender.Recommender.Evaluation;
using Mender.Recommender.Model;
using Mender.Recommender.SemanticIds;

namespace Mender.Recommender.Inference;

/// <summary>
/// Recommendations from a trained model: batches of histories (and preferences in mender mode) go through the encoder
/// once, then a trie-constrained beam search over the SIDs yields real items only.
/// </summary>
public sealed class MenderRecommender : IRecommender
{
    private readonly MenderModel model;
    private readonly SidTable sids;
    private readonly BeamSearch search;

    /// <summary>A recommender that decodes SIDs with beam search, steered by preferences when they are given.</summary>
    public MenderRecommender(MenderModel model, SidTable sids, int beam = 20, PreferenceInputs? preferences = null, int batchSize = 32)
    {
        if (sids.Length != model.Vocabulary.Length)
            throw new ArgumentException($"SIDs have {sids.Length} codes, the model expects {model.Vocabulary.Length}");
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        this.model = model;
        this.sids = sids;
        Preferences = preferences;
        BatchSize = batchSize;
        search = new BeamSearch(sids.Trie, beam);
    }

    /// <inheritdoc/>
    public string Name => model.Config.Mode == MenderMode.Mender ? "mender" : "tiger";

    /// <summary>How many SIDs the beam search keeps at each step; the most items one case can return.</summary>
    public int Beam => search.Beam;

    /// <summary>How many cases are decoded together.</summary>
    public int BatchSize { get; }

    /// <summary>The preference of each evaluation target (mender mode); cases without one get a zero vector.</summary>
    public PreferenceInputs? Preferences { get; }

    /// <inheritdoc/>
    public int[][] Recommend(IReadOnlyList<TrainingSample> cases, int k)
    {
        var results = new int[cases.Count][];
        for (var start = 0; start < cases.Count; start += BatchSize)
        {
            var part = cases.Skip(start).Take(BatchSize).ToList();
            Tensor? preferences = null;
            if (model.Config.Mode == MenderMode.Mender)
                preferences = Preferences?.Matrix(part) ?? new Tensor(part.Count, model.Config.PreferenceDim);
            var found = Search(part.Select(c => c.History).ToList(), preferences, k, 0f, null);
            for (var i = 0; i < part.Count; i++) results[start + i] = found[i].Select(r => r.Item).ToArray();
        }
        return results;
    }

    /// <summary>
    /// Top-k items with scores for each history. <paramref name="preferences"/> is [histories, PreferenceDim] in mender
    /// mode (null there means no preference). A temperature above 0 samples the beams for diversity.
    /// </summary>
    public Recommendation[][] Search(IReadOnlyList<int[]> histories, Tensor? preferences, int k, float temperature = 0f, Rng? rng = null)
    {
        model.Eval();
        if (model.Config.Mode == MenderMode.Mender)
            preferences ??= new Tensor(histories.Count, model.Config.PreferenceDim);
        else
            preferences = null;
        using var scope = Tape.NoGrad();
        var batch = new MenderBatch(sids, model.Vocabulary, histories, model.Config.MaxHistory, model.PreferenceSlots);
        var scorer = new MenderScorer(model, batch, preferences, search.Beam);
        var found = search.Search(scorer, histories.Count, Math.Min(k, search.Beam), temperature, rng);
        if (found.Any(list => list.Any(r => float.IsNaN(r.Score)))) throw NaNScores.Error();
        return found;
    }
}
