using Mender.Data;

namespace Mender.Service.Tests;

public sealed class ReasonWriterTests
{
    private static readonly Item Cream = new(1, "C", "Calm Daily Moisturizer", Categories: ["moisturizer"]) { Attributes = ["fragrance-free", "for dry skin"] };
    private static readonly Item Perfume = new(2, "P", "Rose Mist", Categories: ["Fragrance"]) { Attributes = ["rose scent", "fragrance"] };

    [Fact]
    public void AReasonNamesWhatThePreferenceAsksFor()
    {
        Assert.Equal("matches your request: fragrance-free, for dry skin, moisturizer",
            ReasonWriter.Write(Cream, "a fragrance-free moisturizer for dry skin", [], false));
    }

    [Fact]
    public void ANegatedTermDoesNotCountForAnItemThatHasIt()
    {
        Assert.Empty(ReasonWriter.Matches(Perfume, "no fragrance please"));
        Assert.Contains("fragrance-free", ReasonWriter.Matches(Cream, "no fragrance please"));
    }

    [Fact]
    public void WithoutAMatchTheReasonPointsAtTheHistoryOrTheSource()
    {
        var history = new[] { new Item(5, "H", "Night Balm") { Attributes = ["for dry skin"] } };
        Assert.Equal("shares for dry skin with \"Night Balm\" in your history", ReasonWriter.Write(Cream, "something red", history, false));
        Assert.Equal("the model's pick for what follows your history", ReasonWriter.Write(Perfume, null, history, false));
        Assert.StartsWith("new item", ReasonWriter.Write(Perfume, null, [], true));
    }
}
