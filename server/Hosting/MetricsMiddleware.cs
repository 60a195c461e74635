using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mender.Server.Hosting;

/// <summary>Times every request and counts it under its route pattern (not the raw path, which would explode the label set).</summary>
internal sealed class MetricsMiddleware(RequestDelegate next, RequestMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            metrics.Record(route, context.Request.Method, context.Response.StatusCode, clock.Elapsed);
        }
    }
}
