using System.Diagnostics;
using System.Diagnostics.Metrics;
using Mender.Service.Telemetry;

namespace Mender.Service.Tests;

[Collection(TrainedWorld.Collection)]
public sealed class TelemetryTests(TrainedWorld world)
{
    private string UserWithHistory => world.Dataset.Users.First(u => u.Interactions.Count >= 3).ExternalId;

    [Fact]
    public async Task ARequestIsTracedAsOneActivityWithAChildPerStage()
    {
        var stopped = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MenderTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => { lock (stopped) stopped.Add(activity); },
        };
        ActivitySource.AddActivityListener(listener);
        using var service = world.Open();

        await service.RecommendAsync(new RecommendationRequest { UserId = UserWithHistory, Preference = "likes vanilla", K = 3 });

        List<Activity> mine;
        lock (stopped)
        {
            var request = stopped.Single(a => a.OperationName == "mender.recommend" && (string?)a.GetTagItem("mender.mode") == "mender");
            mine = stopped.Where(a => a.TraceId == request.TraceId && a.ParentSpanId == request.SpanId).ToList();
        }
        Assert.Equal(["mender.preference", "mender.retrieval"], mine.Select(a => a.OperationName).Order());
    }

    [Fact]
    public async Task LlmExtractionIsCachedAndMeasured()
    {
        var measured = new List<string>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name is MenderTelemetry.SourceName or MenderTelemetry.LlmSourceName) l.EnableMeasurementEvents(instrument);
            },
        };
        meters.SetMeasurementEventCallback<double>((instrument, _, _, _) => { lock (measured) measured.Add(instrument.Name); });
        meters.SetMeasurementEventCallback<long>((instrument, _, _, _) => { lock (measured) measured.Add(instrument.Name); });
        meters.SetMeasurementEventCallback<int>((instrument, _, _, _) => { lock (measured) measured.Add(instrument.Name); });
        meters.Start();
        var client = new ScriptedChatClient(["""{"preferences": ["prefers fragrance-free creams"]}"""], ["""{"sentiments": ["positive"]}"""]);
        using var service = RecommendationService.Open(new RecommendationServiceOptions { Checkpoint = world.Checkpoint }, client);
        ReviewInput[] reviews = [new("Calm Cream", 5, null, "I love that it is fragrance-free.")];

        var first = await service.ExtractPreferencesAsync(reviews);
        var again = await service.ExtractPreferencesAsync(reviews);

        Assert.Equal("prefers fragrance-free creams", Assert.Single(first.Preferences).Text);
        Assert.Equal(first.Preferences, again.Preferences);
        Assert.Equal(2, client.Prompts.Count);
        lock (measured)
        {
            Assert.Contains("gen_ai.client.operation.duration", measured);
            Assert.Contains("mender.stage.duration", measured);
        }
    }
}
