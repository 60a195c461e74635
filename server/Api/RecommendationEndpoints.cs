using Mender.Service;
using Mender.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mender.Server.Api;

/// <summary>`POST /v1/recommendations`: the body is a <see cref="RecommendationRequest"/> in snake_case, the list comes back with SIDs and scores.</summary>
internal static class RecommendationEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/recommendations", async (HttpContext context, ServiceState state, ServerOptions options, RequestMetrics metrics) =>
        {
            var service = Readiness.Require(state);
            var request = await JsonBody.ReadAsync<RecommendationRequest>(context, options.MaxRequestBodyBytes, ServerJson.Options);
            if (request.Reasoning) Readiness.RequireReasoning(service);
            var response = await service.RecommendAsync(request, context.RequestAborted);
            metrics.Tokens(response.PromptTokens, response.CompletionTokens);
            metrics.Items(response.Items.Count);
            return Results.Json(Document(response), ServerJson.Options);
        });
    }

    internal static object Document(RecommendationResponse response) => new
    {
        items = Items(response.Items),
        preference = response.Preference,
        reasoning = response.Reasoning,
        mode = response.Mode,
        history_length = response.HistoryLength,
        notes = response.Notes,
        milliseconds = response.Milliseconds,
        usage = new { prompt_tokens = response.PromptTokens, completion_tokens = response.CompletionTokens },
    };

    internal static object[] Items(IReadOnlyList<RecommendedItem> items) => items.Select(i => (object)new
    {
        item_id = i.ItemId,
        title = i.Title,
        sid = i.Sid,
        score = i.Score,
        reason = i.Reason,
        cold_start = i.ColdStart,
    }).ToArray();
}
