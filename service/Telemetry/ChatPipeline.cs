using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;

namespace Mender.Service.Telemetry;

/// <summary>
/// The chat clients the service puts between itself and the LLM, built with <see cref="ChatClientBuilder"/>: logging
/// (when a logger factory is given), OpenTelemetry traces and gen_ai metrics under <see cref="MenderTelemetry.LlmSourceName"/>,
/// and, for preference extraction only, a cache, so the same reviews asked about again are not summarized twice.
/// Reasoning is not cached: a thought asked for at a temperature is meant to differ.
/// </summary>
public static class ChatPipeline
{
    /// <summary>The pipeline for preference extraction: logging → cache → telemetry → the model.</summary>
    public static IChatClient ForExtraction(IChatClient model, IDistributedCache cache, ILoggerFactory? logs = null) =>
        Logged(new ChatClientBuilder(model), logs).UseDistributedCache(cache).UseOpenTelemetry(logs, MenderTelemetry.LlmSourceName).Build();

    /// <summary>The pipeline for reasoning: logging → telemetry → the model.</summary>
    public static IChatClient ForReasoning(IChatClient model, ILoggerFactory? logs = null) =>
        Logged(new ChatClientBuilder(model), logs).UseOpenTelemetry(logs, MenderTelemetry.LlmSourceName).Build();

    private static ChatClientBuilder Logged(ChatClientBuilder builder, ILoggerFactory? logs) =>
        logs is null ? builder : builder.UseLogging(logs);
}
