using Microsoft.AspNetCore.Http;

namespace Mender.Server.Hosting;

/// <summary>
/// At most N API requests at once and no queue: the next one is told 429 with Retry-After at once, so a client backs
/// off instead of piling latency onto everyone. Probes, metrics and the page are not counted.
/// </summary>
internal sealed class ConcurrencyGate(RequestDelegate next, ServerOptions options, RequestMetrics metrics)
{
    private readonly SemaphoreSlim permits = new(Math.Max(1, options.MaxConcurrency));

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/v1"))
        {
            await next(context);
            return;
        }
        if (!permits.Wait(0))
            throw new ApiProblem(429, "Too many requests",
                $"the server is busy with {options.MaxConcurrency} requests; retry shortly") { RetryAfterSeconds = 1 };
        metrics.Enter();
        try
        {
            await next(context);
        }
        finally
        {
            metrics.Leave();
            permits.Release();
        }
    }
}
