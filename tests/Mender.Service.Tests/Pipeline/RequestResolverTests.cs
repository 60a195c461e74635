using Mender.Service.Pipeline;

namespace Mender.Service.Tests.Pipeline;

public sealed class RequestResolverTests
{
    private static RequestResolver Resolver(bool readsPreference = true, int maxHistory = 200) =>
        new(PipelineWorld.Dataset, new RecommendationServiceOptions { MaxK = 10, MaxHistory = maxHistory }, defaultBeam: 8, readsPreference, () => null);

    [Fact]
    public void AUsersHistoryComesFirstThenTheGivenItemsAndBothAreExcluded()
    {
        var resolved = Resolver().Resolve(new RecommendationRequest { UserId = "u-short", History = ["B", " C "], K = 3 }, canReason: false);

        Assert.Equal([3, 1, 2], resolved.ModelHistory);
        Assert.Equal(["D", "B", "C"], resolved.Entries.Select(e => e.Item.ExternalId));
        Assert.Equal(["B", "C", "D"], resolved.Excluded.Order());
        Assert.Equal(8, resolved.Beam);
    }

    [Fact]
    public void KeepingTheHistoryExcludesNothingAndTheDefaultBeamIsAtLeastTwiceK()
    {
        var resolved = Resolver().Resolve(new RecommendationRequest { UserId = "u-long", K = 6, ExcludeHistory = false }, canReason: false);

        Assert.Empty(resolved.Excluded);
        Assert.Equal(12, resolved.Beam);
    }

    [Fact]
    public void OnlyTheNewestItemsOfALongUserHistoryAreRead()
    {
        var resolved = Resolver(maxHistory: 2).Resolve(new RecommendationRequest { UserId = "u-long" }, canReason: false);

        Assert.Equal([1, 2], resolved.ModelHistory);
    }

    [Fact]
    public void TurnsAreCombinedByRulesIntoTheTypedPreference()
    {
        var resolved = Resolver().Resolve(new RecommendationRequest { Turns = ["I love vanilla", " ", "no vanilla"] }, canReason: false);

        Assert.Equal("avoids vanilla", resolved.Typed);
        Assert.Equal(["I love vanilla", "no vanilla"], resolved.Turns);
        Assert.Empty(resolved.ModelHistory);
    }

    [Theory]
    [InlineData(0, null, "k")]
    [InlineData(11, null, "k")]
    [InlineData(5, 4, "beam")]
    [InlineData(5, 100000, "beam")]
    public void ABadNumberNamesItsField(int k, int? beam, string field)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => Resolver().Resolve(new RecommendationRequest { UserId = "u-long", K = k, Beam = beam }, false));

        Assert.Equal(field, error.ParamName);
    }

    [Fact]
    public void BadTextsAndUnknownIdsAreNamed()
    {
        var resolver = Resolver();
        Assert.Equal("preference", Assert.ThrowsAny<ArgumentException>(() =>
            resolver.Resolve(new RecommendationRequest { UserId = "u-long", Preference = new string('x', RequestResolver.MaxPreferenceChars + 1) }, false)).ParamName);
        Assert.Equal("temperature", Assert.ThrowsAny<ArgumentException>(() =>
            resolver.Resolve(new RecommendationRequest { UserId = "u-long", Temperature = float.NaN }, false)).ParamName);
        Assert.Equal("history", Assert.ThrowsAny<ArgumentException>(() =>
            resolver.Resolve(new RecommendationRequest { History = ["A", ""] }, false)).ParamName);
        Assert.Contains("'nobody'", Assert.Throws<KeyNotFoundException>(() => resolver.Resolve(new RecommendationRequest { UserId = "nobody" }, false)).Message);
        Assert.Contains("'Z'", Assert.Throws<KeyNotFoundException>(() => resolver.Resolve(new RecommendationRequest { History = ["Z"] }, false)).Message);
        Assert.Throws<InvalidOperationException>(() => resolver.Resolve(new RecommendationRequest { UserId = "u-long", Reasoning = true }, canReason: false));
    }

    [Fact]
    public void APreferenceAloneIsEnoughOnlyForAModelThatReadsOne()
    {
        var request = new RecommendationRequest { Preference = "likes vanilla" };

        Assert.Equal("likes vanilla", Resolver().Resolve(request, false).Typed);
        var error = Assert.ThrowsAny<ArgumentException>(() => Resolver(readsPreference: false).Resolve(request, false));
        Assert.Equal("history", error.ParamName);
        Assert.Contains("tiger", error.Message, StringComparison.Ordinal);
    }
}
