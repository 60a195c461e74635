using Mender.Service;
using Mender.Server.Hosting;

namespace Mender.Server.Api;

/// <summary>What every API endpoint checks first: that the service is loaded, and that reasoning has a model when asked.</summary>
internal static class Readiness
{
    public static RecommendationService Require(ServiceState state)
    {
        if (state.Service is { } service) return service;
        if (state.Failure is { } failure)
            throw new ApiProblem(503, "Service unavailable", $"the checkpoint could not be loaded: {failure.Message}");
        throw new ApiProblem(503, "Service unavailable", "the checkpoint is still loading; retry shortly") { RetryAfterSeconds = 1 };
    }

    public static void RequireReasoning(RecommendationService service)
    {
        if (!service.CanReason)
            throw new ApiProblem(409, "Reasoning unavailable",
                "reasoning mode needs an LLM and this server was started without one (start it with --model MODEL.gguf)", "reasoning");
    }
}
