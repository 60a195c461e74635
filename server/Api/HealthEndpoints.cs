using Mender.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mender.Server.Api;

/// <summary>
/// `GET /healthz` (the process answers), `GET /readyz` (the checkpoint is loaded: 503 until then, and for good when it
/// failed) and `GET /metrics` (Prometheus text).
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Json(new { status = "ok" }, ServerJson.Options));

        app.MapGet("/readyz", (ServiceState state) =>
        {
            if (state.Service is { } service)
                return Results.Json(new
                {
                    status = "ready",
                    users = service.Dataset.Users.Count,
                    items = service.Dataset.Items.Count,
                    reasoning = service.CanReason,
                    mode = service.Mode,
                    model = service.ReasoningModelName,
                }, ServerJson.Options);
            var failed = state.Failure;
            return Results.Json(new { status = failed is null ? "loading" : "failed", detail = failed?.Message }, ServerJson.Options,
                statusCode: StatusCodes.Status503ServiceUnavailable);
        });

        app.MapGet("/metrics", (ServiceState state, RequestMetrics metrics, MeterMetrics meters) =>
            Results.Text(metrics.Render(state.Service is not null) + meters.Render(), "text/plain; version=0.0.4; charset=utf-8"));
    }
}
