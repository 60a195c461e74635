using Mender.Data;
using Mender.Recommender.Baselines;
using Mender.Recommender.Inference;
using Mender.Recommender.Model;
using Mender.Recommender.Tests.Model;

namespace Mender.Recommender.Tests.Inference;

/// <summary>A model whose finite weights overflow gives an error, not a list ranked by NaN.</summary>
public class NonFiniteScoreTests
{
    [Fact]
    public void WeightsThatOverflowToNaNScoresAreAnError()
    {
        var world = new SyntheticWorld(4, 4, 5);
        var model = new MenderModel(world.TinyTigerModel(seed: 9));
        int[][] histories = [[1, 2, 3]];
        Assert.All(new MenderRecommender(model, world.Sids, beam: 6).Search(histories, null, 6)[0], r => Assert.True(float.IsFinite(r.Score)));

        foreach (var (_, parameter) in model.NamedParameters()) parameter.Span.Fill(3e38f);

        var error = Assert.Throws<InvalidDataException>(() => new MenderRecommender(model, world.Sids, beam: 6).Search(histories, null, 6));
        Assert.Contains("NaN", error.Message);
    }

    [Fact]
    public void ASasrecModelWhoseWeightsOverflowIsAnError()
    {
        var model = new SasRecModel(new SasRecConfig { Hidden = 8, Blocks = 1, Heads = 1, Dropout = 0, MaxLength = 5, Items = 12 });
        TrainingSample[] cases = [new(0, [1, 2, 3], 4)];
        Assert.Equal(3, new SasRecRecommender(model).Recommend(cases, 3)[0].Length);

        foreach (var (_, parameter) in model.NamedParameters()) parameter.Span.Fill(3e38f);

        Assert.Contains("NaN", Assert.Throws<InvalidDataException>(() => new SasRecRecommender(model).Recommend(cases, 3)).Message);
    }
}
