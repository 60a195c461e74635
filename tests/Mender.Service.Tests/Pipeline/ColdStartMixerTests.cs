using Mender.Preference.Conversation;
using Mender.Service.Pipeline;

namespace Mender.Service.Tests.Pipeline;

public sealed class ColdStartMixerTests
{
    private static readonly ColdStartMixer Mixer = new(PipelineWorld.Dataset, _ => ReadOnlyMemory<float>.Empty);

    [Fact]
    public void WithoutColdStartItemsTheModelsOrderIsKeptAndCutAtK()
    {
        var ranked = Mixer.Mix([(2, -0.1f), (0, -0.5f), (3, -0.9f)], null, [], AvoidedTopics.None, 2, new HashSet<string>(), out var moved);

        Assert.Equal([2, 0], ranked.Select(c => c.Item));
        Assert.Equal([-0.1f, -0.5f], ranked.Select(c => c.Score));
        Assert.All(ranked, c => Assert.False(c.IsColdStart));
        Assert.Equal(0, moved);
    }

    [Fact]
    public void WhatThePreferenceAvoidsGoesLastAndTheListStaysFull()
    {
        var ranked = Mixer.Mix([(0, -0.1f), (3, -0.2f), (1, -0.3f)], null, [], AvoidedTopics.Of("avoids vanilla"), 3, new HashSet<string>(), out var moved);

        Assert.Equal([1, 0, 3], ranked.Select(c => c.Item));
        Assert.Equal(2, moved);
    }
}
