using Mender.Preference.Conversation;

namespace Mender.Preference.Tests;

public sealed class AvoidedTopicsTests
{
    [Fact]
    public void OnlyTheNegativePartsAreAvoided()
    {
        var avoided = AvoidedTopics.Of("something for dry skin; avoids vanilla");

        Assert.True(avoided.Names("Willow Glow Warm Vanilla Body Mist, 3 fl oz"));
        Assert.False(avoided.Names("Willow Glow Hydrating Moisturizer for Dry Skin"));
        Assert.True(AvoidedTopics.Of("something for dry skin").IsEmpty);
        Assert.True(AvoidedTopics.Of((string?)null).IsEmpty);
    }

    [Fact]
    public void AWordFollowedByFreeNamesItsAbsence()
    {
        var avoided = AvoidedTopics.Of(ConversationPreference.Combine(["no fragrance"]));

        Assert.False(avoided.Names("Cove Lab Fragrance-Free Shampoo"));
        Assert.False(avoided.Names("Cove Lab Fragrance Free Shampoo"));
        Assert.True(avoided.Names("Cove Lab Shampoo | Beauty > Fragrance"));
    }

    [Fact]
    public void ATopicOfSeveralWordsNeedsAllOfThem()
    {
        var avoided = AvoidedTopics.Of(ConversationPreference.Combine(["not another body mist"]));

        Assert.True(avoided.Names("Rose Body Mist, 8 fl oz"));
        Assert.True(avoided.Names("Body Mists Gift Set"));
        Assert.False(avoided.Names("Rose Body Lotion"));
    }

    [Fact]
    public void CandidatesThatNameAnAvoidedTopicGoLastInTheirOrder()
    {
        var avoided = AvoidedTopics.Of("avoids vanilla");
        string[] titles = ["Vanilla Lip Balm", "Citrus Hand Cream", "Vanilla Body Oil", "Rose Toner"];

        var ranked = avoided.RankLast(titles, t => t, out var moved);

        Assert.Equal(["Citrus Hand Cream", "Rose Toner", "Vanilla Lip Balm", "Vanilla Body Oil"], ranked);
        Assert.Equal(2, moved);
        Assert.Equal(titles, AvoidedTopics.None.RankLast(titles, t => t, out var none));
        Assert.Equal(0, none);
    }
}
