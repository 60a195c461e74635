using Mender.Preference.Conversation;
using Mender.Preference.Sentiment;

namespace Mender.Preference.Tests;

public class ConversationPreferenceTests
{
    private static (string Text, PreferenceSentiment Sentiment)[] Parts(params string[] turns) =>
        ConversationPreference.Combine(turns).Parts.Select(p => (p.Text, p.Sentiment)).ToArray();

    [Fact]
    public void PreferencesBuildUpOverTurnsAndNegativesStayNegative()
    {
        Assert.Equal(
            [
                ("something for dry skin", PreferenceSentiment.Positive),
                ("avoids fragrance", PreferenceSentiment.Negative),
                ("likes vanilla", PreferenceSentiment.Positive),
                ("avoids body mist", PreferenceSentiment.Negative),
            ],
            Parts("something for dry skin", "no fragrance", "actually, I like vanilla", "not another body mist"));
    }

    [Fact]
    public void ALaterTurnOverridesAnEarlierOneItContradicts()
    {
        Assert.Equal([("avoids glitter polish", PreferenceSentiment.Negative)], Parts("I love glitter polish", "I don't want glitter polish"));
        Assert.Equal([("likes rose scents", PreferenceSentiment.Positive)], Parts("no rose scents", "actually I like rose scents"));
        // A restatement replaces the earlier one; an unrelated statement stays.
        Assert.Equal([("likes matte lipstick", PreferenceSentiment.Positive), ("avoids fragrance", PreferenceSentiment.Negative)],
            Parts("likes matte lipstick, no fragrance", "no fragrance"));
    }

    [Fact]
    public void OneTurnCanHoldSeveralStatements()
    {
        Assert.Equal([("a moisturizer for dry skin", PreferenceSentiment.Positive), ("avoids parabens", PreferenceSentiment.Negative)],
            Parts("a moisturizer for dry skin, without parabens"));
        Assert.Equal([("wants a shampoo", PreferenceSentiment.Positive), ("avoids sulfates", PreferenceSentiment.Negative)],
            Parts("I want a shampoo but nothing with sulfates."));
        Assert.Equal("a moisturizer for dry skin; avoids parabens", ConversationPreference.Of("a moisturizer for dry skin, without parabens").Text);
        Assert.True(ConversationPreference.Combine(["", "  ", "ok"]).IsEmpty);
    }
}
