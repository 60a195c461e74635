using Mender.Recommender.SemanticIds;
using Xunit;

namespace Mender.Recommender.Tests.SemanticIds;

public class SidQualityTests
{
    [Fact]
    public void CountsUsageCollisionsAndPerplexity()
    {
        // Six items, two levels of four codes; items 0, 2, 4 share the prefix (1, 2), items 1 and 5 share (0, 0).
        int[] codes = [1, 2, 0, 0, 1, 2, 3, 3, 1, 2, 0, 0];
        var q = new ResidualQuantization("rkmeans", 6, codes, [new float[4], new float[4]], 1, 0.5, 0.25, [1.0, 0.5]);
        var quality = SidQuality.Measure(q);
        Assert.Equal(6, quality.Items);
        Assert.Equal([3, 3], quality.CodesUsedPerLevel);
        Assert.Equal(5.0 / 6, quality.PrefixCollisionRate, 1e-12);
        Assert.Equal(3, quality.MaxCollisionGroup);
        Assert.Equal(3, quality.UniquePrefixes);
        // Level 0 uses codes with counts 3, 2, 1.
        var entropy = -(0.5 * Math.Log(0.5) + 2.0 / 6 * Math.Log(2.0 / 6) + 1.0 / 6 * Math.Log(1.0 / 6));
        Assert.Equal(Math.Exp(entropy), quality.PerplexityPerLevel[0], 1e-12);
    }

    [Fact]
    public void JsonHasTheAgreedKeys()
    {
        var q = new ResidualQuantization("rqvae", 2, [0, 1], [new float[2]], 1, 0, 0, [0.0]);
        var json = System.Text.Json.JsonDocument.Parse(SidQuality.Measure(q).ToJson()).RootElement;
        Assert.Equal(System.Text.Json.JsonValueKind.Array, json.GetProperty("codes_used_per_level").ValueKind);
        Assert.Equal(0, json.GetProperty("prefix_collision_rate").GetDouble());
        Assert.Equal(1, json.GetProperty("max_collision_group").GetInt32());
        Assert.Equal(2, json.GetProperty("items").GetInt32());
        Assert.Equal("rqvae", json.GetProperty("method").GetString());
    }
}
