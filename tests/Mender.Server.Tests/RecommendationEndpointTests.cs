using System.Net;
using System.Text.Json;

namespace Mender.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class RecommendationEndpointTests(TrainedCheckpoint checkpoint) : IAsyncLifetime
{
    private TestHost host = null!;

    public async Task InitializeAsync() => host = await TestHost.InMemoryAsync(new ServerOptions { Service = checkpoint.Service });

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<HttpResponseMessage> PostAsync(object body) => host.Client.PostAsync("/v1/recommendations", Http.Json(body));

    [Fact]
    public async Task AUsersListComesBackInSnakeCaseWithoutTheirHistory()
    {
        var user = checkpoint.Dataset.Users[3];
        var body = await Http.ReadJsonAsync(await PostAsync(new { user_id = user.ExternalId, k = 5 }));

        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(5, items.Count);
        var catalogue = checkpoint.Dataset.Items.ToDictionary(i => i.ExternalId);
        var history = user.Interactions.Select(i => checkpoint.Dataset.Items[i.ItemId].ExternalId).ToHashSet();
        foreach (var item in items)
        {
            var id = item.GetProperty("item_id").GetString()!;
            Assert.True(catalogue.ContainsKey(id), $"{id} is not a catalogue item");
            Assert.Equal(catalogue[id].Title, item.GetProperty("title").GetString());
            Assert.Equal(items[0].GetProperty("sid").GetArrayLength(), item.GetProperty("sid").GetArrayLength());
            Assert.True(item.GetProperty("sid").GetArrayLength() >= 2);
            Assert.False(item.GetProperty("cold_start").GetBoolean());
            Assert.DoesNotContain(id, history);
        }
        var scores = items.Select(i => i.GetProperty("score").GetSingle()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.Equal(items.Count, items.Select(i => i.GetProperty("item_id").GetString()).Distinct().Count());
        Assert.False(body.TryGetProperty("reasoning", out _));
    }

    [Fact]
    public async Task AHistoryAndPreferenceAreUsedAsGiven()
    {
        var history = checkpoint.Dataset.Items.Take(3).Select(i => i.ExternalId).ToArray();
        var body = await Http.ReadJsonAsync(await PostAsync(new { history, preference = "  fragrance-free moisturizer ", k = 4 }));

        Assert.Equal("fragrance-free moisturizer", body.GetProperty("preference").GetString());
        Assert.Equal(3, body.GetProperty("history_length").GetInt32());
        var ids = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item_id").GetString()).ToList();
        Assert.Equal(4, ids.Count);
        Assert.Empty(ids.Intersect(history));
    }

    [Fact]
    public async Task TheSameRequestGivesTheSameList()
    {
        var request = new { user_id = checkpoint.Dataset.Users[7].ExternalId, preference = "likes glitter", k = 6 };
        var first = await Http.ReadJsonAsync(await PostAsync(request));
        var second = await Http.ReadJsonAsync(await PostAsync(request));
        Assert.Equal(first.GetProperty("items").GetRawText(), second.GetProperty("items").GetRawText());
    }

    [Theory]
    [InlineData("{\"user_id\": \"x\",", "Malformed JSON")]
    [InlineData("[1, 2, 3]", "Malformed JSON")]
    [InlineData("{\"user_id\": 12}", "Malformed JSON")]
    [InlineData("not json at all", "Malformed JSON")]
    public async Task MalformedJsonIsAProblem(string json, string title)
    {
        var problem = await Http.ProblemAsync(await host.Client.PostAsync("/v1/recommendations", Http.Json(json)), HttpStatusCode.BadRequest);
        Assert.Equal(title, problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task AMisspeltFieldIsNamed()
    {
        var problem = await Http.ProblemAsync(await PostAsync(new { userid = "u1" }), HttpStatusCode.BadRequest);
        Assert.Contains("'userid'", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnEmptyBodyOrAnotherMediaTypeIsRefused()
    {
        await Http.ProblemAsync(await host.Client.PostAsync("/v1/recommendations", Http.Json("")), HttpStatusCode.BadRequest);
        var text = new StringContent("user_id=u1", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        await Http.ProblemAsync(await host.Client.PostAsync("/v1/recommendations", text), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task NeitherUserNorHistoryNorPreferenceIsAProblem() =>
        await Http.ProblemAsync(await PostAsync(new { k = 5 }), HttpStatusCode.BadRequest, "history");

    [Fact]
    public async Task AnUnknownUserIsNotFound()
    {
        var problem = await Http.ProblemAsync(await PostAsync(new { user_id = "no-such-user" }), HttpStatusCode.NotFound);
        Assert.Contains("no-such-user", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AnUnknownHistoryItemIsNotFound()
    {
        var problem = await Http.ProblemAsync(await PostAsync(new { history = new[] { "no-such-item" } }), HttpStatusCode.NotFound);
        Assert.Contains("no-such-item", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(-3)]
    public async Task KOutOfRangeIsAProblemNamingK(int k) =>
        await Http.ProblemAsync(await PostAsync(new { user_id = checkpoint.Dataset.Users[0].ExternalId, k }), HttpStatusCode.BadRequest, "k");

    [Fact]
    public async Task ABeamNarrowerThanKIsAProblemNamingBeam() =>
        await Http.ProblemAsync(await PostAsync(new { user_id = checkpoint.Dataset.Users[0].ExternalId, k = 10, beam = 5 }),
            HttpStatusCode.BadRequest, "beam");

    [Fact]
    public async Task AnOversizeHistoryIsAProblemNamingHistory()
    {
        var ids = Enumerable.Range(0, 201).Select(i => checkpoint.Dataset.Items[i % checkpoint.Dataset.Items.Count].ExternalId).ToArray();
        var problem = await Http.ProblemAsync(await PostAsync(new { history = ids }), HttpStatusCode.BadRequest, "history");
        Assert.Contains("200", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ABodyOverTheSizeLimitIsTooLarge()
    {
        var padding = new string('a', 70 * 1024);
        await Http.ProblemAsync(await PostAsync(new { preference = padding }), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task ReasoningWithoutAModelIsAConflictNamingReasoning()
    {
        var problem = await Http.ProblemAsync(await PostAsync(new { user_id = checkpoint.Dataset.Users[0].ExternalId, reasoning = true }),
            HttpStatusCode.Conflict, "reasoning");
        Assert.Contains("--model", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UsersAreListedAndShown()
    {
        var list = await Http.ReadJsonAsync(await host.Client.GetAsync("/v1/users?limit=5&offset=2"));
        Assert.Equal(checkpoint.Dataset.Users.Count, list.GetProperty("total").GetInt32());
        var users = list.GetProperty("users").EnumerateArray().ToList();
        Assert.Equal(checkpoint.Dataset.Users.Skip(2).Take(5).Select(u => u.ExternalId), users.Select(u => u.GetProperty("user_id").GetString()));

        var user = checkpoint.Dataset.Users[2];
        var shown = await Http.ReadJsonAsync(await host.Client.GetAsync("/v1/users/" + Uri.EscapeDataString(user.ExternalId)));
        var last = checkpoint.Dataset.Items[user.Interactions[^1].ItemId];
        Assert.Equal(last.ExternalId, shown.GetProperty("recent")[0].GetProperty("item_id").GetString());

        await Http.ProblemAsync(await host.Client.GetAsync("/v1/users?limit=0"), HttpStatusCode.BadRequest, "limit");
        await Http.ProblemAsync(await host.Client.GetAsync("/v1/users/no-such-user"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PreferencesAreExtractedFromReviews()
    {
        var response = await host.Client.PostAsync("/v1/preferences:extract", Http.Json(new
        {
            reviews = new object[]
            {
                new { title = "Lavender Body Lotion", rating = 5, text = "I love the lavender scent, so relaxing." },
                new { title = "Glitter Gel", rating = 1, summary = "Messy", text = "The glitter got everywhere, I hate it." },
            },
        }));
        var body = await Http.ReadJsonAsync(response);
        Assert.Equal("builtin-lexicon-v1", body.GetProperty("extractor").GetString());
        var preferences = body.GetProperty("preferences").EnumerateArray()
            .Select(p => (Text: p.GetProperty("text").GetString()!, Sentiment: p.GetProperty("sentiment").GetString()!)).ToList();
        Assert.Contains(preferences, p => p.Text.Contains("lavender", StringComparison.OrdinalIgnoreCase) && p.Sentiment == "positive");
        Assert.Contains(preferences, p => p.Text.Contains("glitter", StringComparison.OrdinalIgnoreCase) && p.Sentiment == "negative");
    }

    [Fact]
    public async Task BadReviewsAreProblemsNamingReviews()
    {
        await Http.ProblemAsync(await host.Client.PostAsync("/v1/preferences:extract", Http.Json(new { })), HttpStatusCode.BadRequest, "reviews");
        await Http.ProblemAsync(await host.Client.PostAsync("/v1/preferences:extract", Http.Json(new { reviews = Array.Empty<object>() })),
            HttpStatusCode.BadRequest, "reviews");
        await Http.ProblemAsync(await host.Client.PostAsync("/v1/preferences:extract", Http.Json(new { reviews = new[] { new { text = " " } } })),
            HttpStatusCode.BadRequest, "reviews");
        await Http.ProblemAsync(await host.Client.PostAsync("/v1/preferences:extract",
            Http.Json(new { reviews = new[] { new { text = "nice", rating = 9 } } })), HttpStatusCode.BadRequest, "reviews");
    }
}
