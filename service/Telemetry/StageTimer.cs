using System.Diagnostics;

namespace Mender.Service.Telemetry;

/// <summary>One stage being timed (see <see cref="MenderTelemetry.Stage"/>): its activity, if anyone listens, and its clock.</summary>
public readonly struct StageTimer : IDisposable
{
    private readonly string stage;
    private readonly Activity? activity;
    private readonly long started;

    internal StageTimer(string stage, Activity? activity)
    {
        this.stage = stage;
        this.activity = activity;
        started = Stopwatch.GetTimestamp();
    }

    /// <summary>Tags the stage's activity and counts the LLM tokens it used.</summary>
    public void Tokens(int input, int output)
    {
        activity?.SetTag("gen_ai.usage.input_tokens", input).SetTag("gen_ai.usage.output_tokens", output);
        MenderTelemetry.CountTokens(stage, input, output);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        MenderTelemetry.RecordDuration(stage, Stopwatch.GetElapsedTime(started));
        activity?.Dispose();
    }
}
