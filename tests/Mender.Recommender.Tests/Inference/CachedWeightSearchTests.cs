using Mender.Numerics.Autograd;
using Mender.Numerics.Optim;
using Mender.Recommender.Inference;
using Mender.Recommender.Model;
using Mender.Recommender.Tests.Model;

namespace Mender.Recommender.Tests.Inference;

/// <summary>
/// Beam search runs on packed copies of the weights kept between searches: after a training step the next search
/// must give what a freshly built model holding the updated weights gives.
/// </summary>
public class CachedWeightSearchTests
{
    [Fact]
    public void SearchAfterATrainingStepSeesTheUpdatedWeights()
    {
        var world = new SyntheticWorld(4, 4, 5);
        var config = world.TinyTigerModel(seed: 9);
        var model = new MenderModel(config);
        int[][] histories = [[1, 2, 3], [39, 38], [10, 11, 12, 13]];
        var before = new MenderRecommender(model, world.Sids, beam: 6).Search(histories, null, 6);

        // One large training step towards item 7 for every history.
        model.Train();
        var optimizer = new AdamW(model.Parameters(), learningRate: 0.05f, weightDecay: 0f);
        var sid = world.Sids[7];
        var targets = new int[histories.Length * sid.Length];
        for (var r = 0; r < histories.Length; r++)
            for (var level = 0; level < sid.Length; level++) targets[r * sid.Length + level] = model.Vocabulary.Token(level, sid[level]);
        using (var tape = Tape.Record())
        {
            var batch = new MenderBatch(world.Sids, model.Vocabulary, histories, config.MaxHistory, model.PreferenceSlots);
            tape.Backward(model.Loss(batch, null, targets));
        }
        optimizer.Step();

        var after = new MenderRecommender(model, world.Sids, beam: 6).Search(histories, null, 6);
        var fresh = new MenderModel(config);
        foreach (var ((_, source), (_, target)) in model.NamedParameters().Zip(fresh.NamedParameters())) target.CopyFrom(source);
        var expected = new MenderRecommender(fresh, world.Sids, beam: 6).Search(histories, null, 6);

        var changed = false;
        for (var q = 0; q < histories.Length; q++)
        {
            Assert.Equal(expected[q].Select(r => r.Item), after[q].Select(r => r.Item));
            for (var i = 0; i < after[q].Length; i++)
            {
                Assert.Equal(expected[q][i].Score, after[q][i].Score, 5);
                changed |= Math.Abs(after[q][i].Score - before[q][i].Score) > 1e-3 || after[q][i].Item != before[q][i].Item;
            }
        }
        Assert.True(changed, "the training step should change the search results");
        Assert.Equal(7, after[0][0].Item);
    }
}
