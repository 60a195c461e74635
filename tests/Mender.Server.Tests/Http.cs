using System.Net;
using System.Text;
using System.Text.Json;

namespace Mender.Server.Tests;

/// <summary>Request and response helpers shared by the endpoint tests.</summary>
internal static class Http
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent Json(object body) => Json(JsonSerializer.Serialize(body));

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 7807 answer with this status (and field, when given) and returns its body.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var body = await ReadJsonAsync(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
        if (field is not null) Assert.Equal(field, body.GetProperty("field").GetString());
        return body;
    }

    /// <summary>Reads /metrics until the gauge of API requests in flight shows <paramref name="count"/>.</summary>
    public static async Task WaitForInFlightAsync(HttpClient client, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            var metrics = await client.GetStringAsync("/metrics");
            if (metrics.Contains($"\nmender_http_requests_in_flight {count}\n", StringComparison.Ordinal)) return;
            await Task.Delay(20);
        }
        throw new TimeoutException($"the server never had {count} requests in flight");
    }
}

/// <summary>
/// A JSON body sent in two parts with a gate between them: the request is in the server (holding its concurrency
/// permit, reading its body) until the test opens the gate, which makes overload and shutdown tests deterministic.
/// </summary>
internal sealed class GatedContent : HttpContent
{
    private readonly TaskCompletionSource open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string json;

    public GatedContent(string json)
    {
        this.json = json;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
    }

    public void Open() => open.TrySetResult();

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        await stream.WriteAsync(bytes.AsMemory(0, 1));
        await stream.FlushAsync();
        await open.Task;
        await stream.WriteAsync(bytes.AsMemory(1));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
