using Mender.Reasoning;
using Mender.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mender.Server.Api;

/// <summary>`POST /v1/recommendations`: one request in the service's own terms, the list back with SIDs and scores.</summary>
internal static class RecommendationEndpoints
{
    internal sealed class Body
    {
        public string? UserId { get; init; }
        public List<string>? History { get; init; }
        public string? Preference { get; init; }
        public int K { get; init; } = 10;
        public int? Beam { get; init; }
        public bool Reasoning { get; init; }
        public bool ExcludeHistory { get; init; } = true;
        public float Temperature { get; init; }
        public ulong Seed { get; init; } = 42;
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/recommendations", async (HttpContext context, ServiceState state, ServerOptions options, RequestMetrics metrics) =>
        {
            var service = Readiness.Require(state);
            var body = await JsonBody.ReadAsync<Body>(context, options.MaxRequestBodyBytes, ServerJson.Options);
            if (body.Reasoning) Readiness.RequireReasoning(service);
            var response = await service.RecommendAsync(ToRequest(body), context.RequestAborted);
            metrics.Tokens(response.PromptTokens, response.CompletionTokens);
            metrics.Items(response.Items.Count);
            return Results.Json(Document(response), ServerJson.Options);
        });
    }

    internal static RecommendationRequest ToRequest(Body body) => new()
    {
        UserId = body.UserId,
        History = body.History,
        Preference = body.Preference,
        K = body.K,
        Beam = body.Beam,
        Reasoning = body.Reasoning,
        ExcludeHistory = body.ExcludeHistory,
        Temperature = body.Temperature,
        Seed = body.Seed,
    };

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
