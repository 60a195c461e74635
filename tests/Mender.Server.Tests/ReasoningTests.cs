using System.Net;
using System.Text.Json;
using Mender.Service;

namespace Mender.Server.Tests;

/// <summary>Reasoning mode over HTTP with the tiny stories260K model from ../shared: the thought streams, then the items.</summary>
[Collection(ServerCollection.Name)]
public sealed class ReasoningTests(TrainedCheckpoint checkpoint)
{
    private RecommendationService OpenWithModel() => RecommendationService.Open(new RecommendationServiceOptions
    {
        Checkpoint = checkpoint.Checkpoint,
        ModelPath = SharedData.PathOf("models/tiny/stories260K.gguf"),
        Threads = 1,
    });

    [SharedFact]
    public async Task TheThoughtStreamsAsReasoningContentBeforeTheList()
    {
        using var service = OpenWithModel();
        await using var host = await TestHost.InMemoryAsync(new ServerOptions { Service = service });
        var ready = await Http.ReadJsonAsync(await host.Client.GetAsync("/readyz"));
        Assert.True(ready.GetProperty("reasoning").GetBoolean());

        var response = await host.Client.PostAsync("/v1/chat/completions", Http.Json(new
        {
            model = "mender",
            stream = true,
            user = checkpoint.Dataset.Users[2].ExternalId,
            messages = new[] { new { role = "user", content = "no fragrance" } },
            metadata = new Dictionary<string, string> { ["k"] = "3", ["reasoning"] = "true" },
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", events[^1]);
        var deltas = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta")).ToList();
        var thinking = deltas.FindIndex(d => d.TryGetProperty("reasoning_content", out _));
        var answering = deltas.FindIndex(d => d.TryGetProperty("content", out var c) && c.GetString()!.Length > 0);
        Assert.True(thinking >= 0 && answering > thinking, "the thought must come before the list");
        Assert.DoesNotContain(deltas.Skip(answering), d => d.TryGetProperty("reasoning_content", out _));
        var thought = string.Concat(deltas.Where(d => d.TryGetProperty("reasoning_content", out _)).Select(d => d.GetProperty("reasoning_content").GetString()));
        Assert.StartsWith("<think>", thought);
        Assert.Contains("</think>", thought);

        var last = JsonDocument.Parse(events[^2]["data: ".Length..]).RootElement;
        Assert.True(last.GetProperty("usage").GetProperty("completion_tokens").GetInt32() > 0);
        Assert.Equal(3, last.GetProperty("recommendations").GetProperty("items").GetArrayLength());
        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.DoesNotContain("mender_llm_tokens_total{kind=\"completion\"} 0\n", metrics);
    }

    [SharedFact]
    public async Task TheRecommendationsEndpointReturnsTheThoughtWhenAsked()
    {
        using var service = OpenWithModel();
        await using var host = await TestHost.InMemoryAsync(new ServerOptions { Service = service });
        var body = await Http.ReadJsonAsync(await host.Client.PostAsync("/v1/recommendations", Http.Json(new
        {
            user_id = checkpoint.Dataset.Users[2].ExternalId,
            preference = "no fragrance",
            k = 3,
            reasoning = true,
        })));
        Assert.StartsWith("<think>", body.GetProperty("reasoning").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("preference").GetString()));
        Assert.True(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.Equal(3, body.GetProperty("items").GetArrayLength());
    }
}
