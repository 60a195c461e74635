using System.Net;
using System.Net.Http.Headers;
using Mender.Service;

namespace Mender.Server.Tests;

/// <summary>Probes, metrics, the API key, bounded concurrency, graceful shutdown and the page's assets.</summary>
[Collection(ServerCollection.Name)]
public sealed class HostingTests(TrainedCheckpoint checkpoint)
{
    private ServerOptions Shared => new() { Service = checkpoint.Service };

    private object ARequest => new { user_id = checkpoint.Dataset.Users[1].ExternalId, k = 3 };

    [Fact]
    public async Task ProbesAnswerAndReadinessWaitsForTheCheckpoint()
    {
        using var release = new ManualResetEventSlim();
        await using var host = await TestHost.InMemoryAsync(new ServerOptions
        {
            Opener = ct =>
            {
                release.Wait(ct);
                return checkpoint.Open();
            },
        });

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/healthz")).StatusCode);
        var loading = await Http.ReadJsonAsync(await host.Client.GetAsync("/readyz"), HttpStatusCode.ServiceUnavailable);
        Assert.Equal("loading", loading.GetProperty("status").GetString());
        var early = await host.Client.PostAsync("/v1/recommendations", Http.Json(ARequest));
        await Http.ProblemAsync(early, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("1", early.Headers.RetryAfter?.ToString());
        Assert.Contains("mender_ready 0", await host.Client.GetStringAsync("/metrics"));

        release.Set();
        await MenderServer.WhenReady(host.App);
        var ready = await Http.ReadJsonAsync(await host.Client.GetAsync("/readyz"));
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Equal(checkpoint.Dataset.Items.Count, ready.GetProperty("items").GetInt32());
        Assert.False(ready.GetProperty("reasoning").GetBoolean());
        await Http.ReadJsonAsync(await host.Client.PostAsync("/v1/recommendations", Http.Json(ARequest)));
    }

    [Fact]
    public async Task ACheckpointThatFailsToLoadStopsTheServerWithTheReason()
    {
        await using var host = await TestHost.InMemoryAsync(new ServerOptions
        {
            Opener = _ => RecommendationService.Open(new RecommendationServiceOptions { Checkpoint = Path.Combine(checkpoint.Root, "missing") }),
        });
        await Assert.ThrowsAsync<FileNotFoundException>(() => MenderServer.WhenReady(host.App));
        Assert.True(host.App.Lifetime.ApplicationStopping.WaitHandle.WaitOne(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void AMissingCheckpointOrABadSettingIsRefusedBeforeStarting()
    {
        Assert.Throws<FileNotFoundException>(() => MenderServer.Build(new ServerOptions { Checkpoint = Path.Combine(checkpoint.Root, "missing") }));
        Assert.Throws<ArgumentException>(() => MenderServer.Build(new ServerOptions()));
        Assert.Throws<ArgumentException>(() => MenderServer.Build(Shared with { MaxConcurrency = 0 }));
        Assert.Throws<ArgumentException>(() => MenderServer.Build(Shared with { Host = "not-an-address" }));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("192.168.1.20")]
    [InlineData("*")]
    public async Task BindingBeyondLoopbackNeedsAnApiKey(string address)
    {
        var refused = Assert.Throws<ArgumentException>(() => MenderServer.Build(Shared with { Host = address }));
        Assert.Contains("--api-key", refused.Message);
        await using var app = MenderServer.Build(Shared with { Host = address, ApiKey = "k" });
    }

    [Fact]
    public async Task TheApiKeyIsCheckedWheneverItIsSet()
    {
        await using var host = await TestHost.InMemoryAsync(Shared with { ApiKey = "s3cret-key" });
        var client = host.Client;

        var missing = await client.PostAsync("/v1/recommendations", Http.Json(ARequest));
        await Http.ProblemAsync(missing, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.ToString());

        using (var wrong = new HttpRequestMessage(HttpMethod.Post, "/v1/recommendations") { Content = Http.Json(ARequest) })
        {
            wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-kez");
            await Http.ProblemAsync(await client.SendAsync(wrong), HttpStatusCode.Unauthorized);
        }
        using (var basic = new HttpRequestMessage(HttpMethod.Get, "/metrics"))
        {
            basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", "czNjcmV0LWtleQ==");
            await Http.ProblemAsync(await client.SendAsync(basic), HttpStatusCode.Unauthorized);
        }
        using (var right = new HttpRequestMessage(HttpMethod.Post, "/v1/recommendations") { Content = Http.Json(ARequest) })
        {
            right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-key");
            await Http.ReadJsonAsync(await client.SendAsync(right));
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/users")).StatusCode);
    }

    [Fact]
    public async Task OneRequestTooManyIsToldToRetryLater()
    {
        await using var host = await TestHost.InMemoryAsync(Shared with { MaxConcurrency = 1 });
        var held = new GatedContent(System.Text.Json.JsonSerializer.Serialize(ARequest));
        var first = host.Client.PostAsync("/v1/recommendations", held);
        await Http.WaitForInFlightAsync(host.Client, 1);

        var rejected = await host.Client.PostAsync("/v1/recommendations", Http.Json(ARequest));
        await Http.ProblemAsync(rejected, HttpStatusCode.TooManyRequests);
        Assert.Equal("1", rejected.Headers.RetryAfter?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/healthz")).StatusCode);

        held.Open();
        await Http.ReadJsonAsync(await first);
        await Http.WaitForInFlightAsync(host.Client, 0);
        await Http.ReadJsonAsync(await host.Client.PostAsync("/v1/recommendations", Http.Json(ARequest)));
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("mender_http_requests_total{route=\"/v1/recommendations\",method=\"POST\",status=\"429\"} 1", metrics);
    }

    [Fact]
    public async Task MetricsCountRequestsByRouteAndStatusWithLatencies()
    {
        await using var host = await TestHost.InMemoryAsync(Shared);
        await host.Client.PostAsync("/v1/recommendations", Http.Json(ARequest));
        await host.Client.PostAsync("/v1/recommendations", Http.Json(ARequest));
        await host.Client.PostAsync("/v1/recommendations", Http.Json(new { user_id = "nobody" }));
        var response = await host.Client.GetAsync("/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var metrics = await response.Content.ReadAsStringAsync();

        Assert.Contains("mender_http_requests_total{route=\"/v1/recommendations\",method=\"POST\",status=\"200\"} 2", metrics);
        Assert.Contains("mender_http_requests_total{route=\"/v1/recommendations\",method=\"POST\",status=\"404\"} 1", metrics);
        Assert.Contains("mender_http_request_duration_seconds_bucket{route=\"/v1/recommendations\",le=\"+Inf\"} 3", metrics);
        Assert.Contains("mender_http_request_duration_seconds_count{route=\"/v1/recommendations\"} 3", metrics);
        Assert.Contains("mender_recommended_items_total 6", metrics);
        Assert.Contains("mender_llm_tokens_total{kind=\"completion\"} 0", metrics);
        Assert.Contains("mender_ready 1", metrics);
        Assert.Contains("# TYPE mender_http_request_duration_seconds histogram", metrics);
        Assert.Contains("# TYPE mender_stage_duration_seconds summary", metrics);
        Assert.Contains("mender_stage_duration_seconds_count{mender_stage=\"retrieval\"}", metrics);
        Assert.Contains("mender_stage_duration_seconds_sum{mender_stage=\"preference\"}", metrics);
    }

    [Fact]
    public async Task StoppingWaitsForTheRequestsInFlight()
    {
        var host = await TestHost.LoopbackAsync(Shared);
        try
        {
            var held = new GatedContent(System.Text.Json.JsonSerializer.Serialize(ARequest));
            var inFlight = host.Client.PostAsync("/v1/recommendations", held);
            await Http.WaitForInFlightAsync(host.Client, 1);

            var stopping = host.App.StopAsync();
            await Task.Delay(200);
            Assert.False(stopping.IsCompleted, "the server stopped with a request in flight");
            held.Open();
            await Http.ReadJsonAsync(await inFlight);
            await stopping;
        }
        finally
        {
            host.Client.Dispose();
            await host.App.DisposeAsync();
        }
    }

    [Fact]
    public async Task ThePageAndItsAssetsAreServedFromTheAssembly()
    {
        await using var host = await TestHost.InMemoryAsync(Shared);
        var page = await host.Client.GetAsync("/");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/app.js\">", html);
        Assert.DoesNotContain("https://", html);
        var script = await host.Client.GetAsync("/app.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/v1/chat/completions", await script.Content.ReadAsStringAsync());
        Assert.Equal("text/css", (await host.Client.GetAsync("/app.css")).Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/nothing-here")).StatusCode);
    }
}
