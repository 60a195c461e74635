using Mender.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mender.Server.Api;

/// <summary>
/// `GET /v1/users?limit=&amp;offset=` lists users of the checkpoint's dataset (for the page's picker), and
/// `GET /v1/users/{id}` shows one user's most recent items.
/// </summary>
internal static class UserEndpoints
{
    public const int MaxLimit = 1000;
    private const int RecentItems = 10;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/users", (ServiceState state, int? limit, int? offset) =>
        {
            var dataset = Readiness.Require(state).Dataset;
            var take = limit ?? 50;
            var skip = offset ?? 0;
            if (take is < 1 or > MaxLimit) throw ApiProblem.BadRequest($"limit must be between 1 and {MaxLimit}, got {take}", "limit");
            if (skip < 0) throw ApiProblem.BadRequest($"offset must not be negative, got {skip}", "offset");
            var users = dataset.Users.Skip(skip).Take(take)
                .Select(u => new { user_id = u.ExternalId, interactions = u.Interactions.Count }).ToArray();
            return Results.Json(new { total = dataset.Users.Count, offset = skip, users }, ServerJson.Options);
        });

        app.MapGet("/v1/users/{id}", (ServiceState state, string id) =>
        {
            var dataset = Readiness.Require(state).Dataset;
            var user = dataset.Users.FirstOrDefault(u => u.ExternalId == id)
                ?? throw new ApiProblem(404, "Not found", $"user '{id}' is not in dataset '{dataset.Name}'");
            var recent = user.Interactions.TakeLast(RecentItems).Reverse()
                .Select(i => new { item_id = dataset.Items[i.ItemId].ExternalId, title = dataset.Items[i.ItemId].Title })
                .ToArray();
            return Results.Json(new { user_id = user.ExternalId, interactions = user.Interactions.Count, recent }, ServerJson.Options);
        });
    }
}
