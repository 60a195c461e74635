using Mender.Preference.Sentiment;
using Mender.Service;
using Mender.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mender.Server.Api;

/// <summary>`POST /v1/preferences:extract` `{reviews: [{title?, rating?, summary?, text}]}`: the preferences the reviews express.</summary>
internal static class PreferenceEndpoints
{
    internal sealed class Body
    {
        public List<Review>? Reviews { get; init; }
    }

    internal sealed class Review
    {
        public string? Title { get; init; }
        public float? Rating { get; init; }
        public string? Summary { get; init; }
        public string? Text { get; init; }
    }

    public static void Map(IEndpointRouteBuilder app)
    {
        // A literal colon: a Google-style custom method on the preferences collection.
        app.MapPost("/v1/preferences:extract", async (HttpContext context, ServiceState state, ServerOptions options) =>
        {
            var service = Readiness.Require(state);
            var body = await JsonBody.ReadAsync<Body>(context, options.MaxRequestBodyBytes, ServerJson.Options);
            var reviews = ToReviews(body);
            var extracted = await service.ExtractPreferencesAsync(reviews, context.RequestAborted);
            return Results.Json(new
            {
                preferences = extracted.Preferences.Select(p => new { text = p.Text, sentiment = p.Sentiment.ToName() }),
                extractor = extracted.Extractor,
            }, ServerJson.Options);
        });
    }

    // The service checks the reviews themselves (count, text, rating) and names the field "reviews".
    internal static IReadOnlyList<ReviewInput> ToReviews(Body body)
    {
        if (body.Reviews is not { } reviews) throw ApiProblem.BadRequest("reviews is missing: send {\"reviews\": [{\"text\": ...}]}", "reviews");
        var inputs = new List<ReviewInput>(reviews.Count);
        for (var i = 0; i < reviews.Count; i++)
        {
            var review = reviews[i] ?? throw ApiProblem.BadRequest($"review {i + 1} is null", "reviews");
            inputs.Add(new ReviewInput(review.Title ?? "", review.Rating, review.Summary, review.Text ?? ""));
        }
        return inputs;
    }
}
