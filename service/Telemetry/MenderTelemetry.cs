using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mender.Service.Telemetry;

/// <summary>
/// The service's OpenTelemetry sources, in .NET's own types so any exporter (the server's <c>/metrics</c>, an OTLP
/// collector, a test's listener) can subscribe: one activity per request stage (<c>preference</c>, <c>reasoning</c>,
/// <c>extraction</c>, <c>retrieval</c>) inside one per request, the stages' durations, and the LLM tokens each stage used.
/// The chat pipeline to the LLM reports under <see cref="LlmSourceName"/> with the gen_ai semantic conventions.
/// </summary>
public static class MenderTelemetry
{
    /// <summary>Activity source and meter of the recommendation stages.</summary>
    public const string SourceName = "Mender";

    /// <summary>Activity source and meter of the calls to the LLM (Microsoft.Extensions.AI's OpenTelemetry client).</summary>
    public const string LlmSourceName = "Mender.Llm";

    /// <summary>The tag naming the stage on durations, token counts and activities.</summary>
    public const string StageTag = "mender.stage";

    internal static readonly ActivitySource Source = new(SourceName);

    private static readonly Meter Meter = new(SourceName);

    private static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>(
        "mender.stage.duration", "s", "Time a recommendation request spent in each stage.");

    private static readonly Counter<long> Tokens = Meter.CreateCounter<long>(
        "mender.stage.tokens", "{token}", "LLM tokens read (input) and written (output) by each stage.");

    /// <summary>Starts timing a stage; disposing the result ends its activity and records its duration.</summary>
    public static StageTimer Stage(string stage) => new(stage, Source.StartActivity("mender." + stage));

    /// <summary>A whole request: the parent of its stages' activities.</summary>
    internal static Activity? Request(string mode) => Source.StartActivity("mender.recommend")?.SetTag("mender.mode", mode);

    internal static void RecordDuration(string stage, TimeSpan elapsed) =>
        StageDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(StageTag, stage));

    internal static void CountTokens(string stage, int input, int output)
    {
        var tag = new KeyValuePair<string, object?>(StageTag, stage);
        if (input > 0) Tokens.Add(input, tag, new KeyValuePair<string, object?>("gen_ai.token.type", "input"));
        if (output > 0) Tokens.Add(output, tag, new KeyValuePair<string, object?>("gen_ai.token.type", "output"));
    }
}
