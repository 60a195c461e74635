using System.Net;
using System.Text.Json;

namespace Mender.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ChatCompletionTests(TrainedCheckpoint checkpoint) : IAsyncLifetime
{
    private TestHost host = null!;

    public async Task InitializeAsync() => host = await TestHost.InMemoryAsync(new ServerOptions { Service = checkpoint.Service });

    public async Task DisposeAsync() => await host.DisposeAsync();

    private Task<HttpResponseMessage> PostAsync(object body) => host.Client.PostAsync("/v1/chat/completions", Http.Json(body));

    private object Request(bool stream, string preference = "fragrance-free moisturizer", object? metadata = null) => new
    {
        model = "mender",
        stream,
        user = checkpoint.Dataset.Users[5].ExternalId,
        temperature = 0.7,
        messages = new object[]
        {
            new { role = "system", content = "You recommend beauty products." },
            new { role = "user", content = "something cheap" },
            new { role = "assistant", content = "1. ..." },
            new { role = "user", content = new object[] { new { type = "text", text = preference } } },
        },
        metadata = metadata ?? new Dictionary<string, object> { ["k"] = "4" },
    };

    [Fact]
    public async Task ACompletionListsTheItemsAndTheUserTurnsAddUpToThePreference()
    {
        var body = await Http.ReadJsonAsync(await PostAsync(Request(stream: false)));

        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.Equal("mender", body.GetProperty("model").GetString());
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        var lines = choice.GetProperty("message").GetProperty("content").GetString()!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var items = body.GetProperty("recommendations").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, items.Count);
        Assert.Equal(5, lines.Length);
        Assert.Equal("Preference used: something cheap; fragrance-free moisturizer", lines[^1]);
        for (var i = 0; i < items.Count; i++)
        {
            Assert.StartsWith($"{i + 1}. {items[i].GetProperty("title").GetString()}", lines[i]);
            Assert.Contains(items[i].GetProperty("item_id").GetString()!, lines[i]);
        }
        Assert.Equal("something cheap; fragrance-free moisturizer", body.GetProperty("recommendations").GetProperty("preference").GetString());
        Assert.Equal(0, body.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task AStreamSendsChunksThenTheListThenDone()
    {
        var response = await PostAsync(Request(stream: true));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();

        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        var id = chunks[0].GetProperty("id").GetString();
        Assert.All(chunks, c =>
        {
            Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString());
            Assert.Equal(id, c.GetProperty("id").GetString());
        });
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());

        var last = chunks[^1];
        Assert.Equal("stop", last.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.True(last.TryGetProperty("usage", out _));
        var items = last.GetProperty("recommendations").GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, items.Count);
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("choices")[0].GetProperty("finish_reason").ValueKind));

        var content = string.Concat(chunks.Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("content", out _)).Select(d => d.GetProperty("content").GetString()));
        var lines = content.Split('\n');
        Assert.Equal(items.Count + 1, lines.Length);
        for (var i = 0; i < items.Count; i++)
            Assert.StartsWith($"{i + 1}. {items[i].GetProperty("title").GetString()} ({items[i].GetProperty("item_id").GetString()}", lines[i]);
        Assert.Contains(chunks, c => c.TryGetProperty("recommendations", out var r) && r.TryGetProperty("preference", out var p)
            && p.GetString() == "something cheap; fragrance-free moisturizer");
    }

    [Fact]
    public async Task TheStreamAndTheCompletionAgree()
    {
        var whole = await Http.ReadJsonAsync(await PostAsync(Request(stream: false)));
        var text = await (await PostAsync(Request(stream: true))).Content.ReadAsStringAsync();
        var last = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^2];
        var streamed = JsonDocument.Parse(last["data: ".Length..]).RootElement;
        Assert.Equal(whole.GetProperty("recommendations").GetProperty("items").GetRawText(),
            streamed.GetProperty("recommendations").GetProperty("items").GetRawText());
        var content = string.Concat(text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[..^1]
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("content", out _)).Select(d => d.GetProperty("content").GetString()));
        Assert.Equal(whole.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), content);
    }

    [Fact]
    public async Task MetadataCarriesAHistoryAsAListOrACommaSeparatedString()
    {
        var ids = checkpoint.Dataset.Items.Skip(10).Take(3).Select(i => i.ExternalId).ToArray();
        var asList = await Http.ReadJsonAsync(await PostAsync(new
        {
            model = "mender",
            messages = new[] { new { role = "user", content = "likes glitter" } },
            metadata = new Dictionary<string, object> { ["history"] = ids, ["k"] = 3 },
        }));
        var asString = await Http.ReadJsonAsync(await PostAsync(new
        {
            messages = new[] { new { role = "user", content = "likes glitter" } },
            metadata = new Dictionary<string, object> { ["history"] = string.Join(", ", ids), ["k"] = "3" },
        }));
        Assert.Equal(asList.GetProperty("recommendations").GetProperty("items").GetRawText(),
            asString.GetProperty("recommendations").GetProperty("items").GetRawText());
        Assert.Equal(3, asList.GetProperty("recommendations").GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task TheModelListNamesMender()
    {
        var body = await Http.ReadJsonAsync(await host.Client.GetAsync("/v1/models"));
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal("mender", body.GetProperty("data")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task AnUnknownUserIsAProblemNotAStream()
    {
        var response = await PostAsync(new { model = "mender", stream = true, user = "no-such-user", messages = new[] { new { role = "user", content = "x" } } });
        var problem = await Http.ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("no-such-user", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task BadChatRequestsAreProblemsNamingTheField()
    {
        var user = checkpoint.Dataset.Users[0].ExternalId;
        await Http.ProblemAsync(await PostAsync(new { model = "gpt-4o", user, messages = new[] { new { role = "user", content = "x" } } }),
            HttpStatusCode.BadRequest, "model");
        await Http.ProblemAsync(await PostAsync(new { user, messages = Array.Empty<object>() }), HttpStatusCode.BadRequest, "messages");
        await Http.ProblemAsync(await PostAsync(new { user, messages = new[] { new { role = "system", content = "x" } } }),
            HttpStatusCode.BadRequest, "messages");
        await Http.ProblemAsync(await PostAsync(new { user, messages = new[] { new { role = "user", content = "x" } }, metadata = new { k = "ten" } }),
            HttpStatusCode.BadRequest, "metadata.k");
        await Http.ProblemAsync(await PostAsync(new { user, messages = new[] { new { role = "user", content = "x" } }, metadata = new { k = 0 } }),
            HttpStatusCode.BadRequest, "k");
        await Http.ProblemAsync(await host.Client.PostAsync("/v1/chat/completions", Http.Json("{\"messages\": [")), HttpStatusCode.BadRequest);
        await Http.ProblemAsync(await PostAsync(new { user, reasoning_effort = "high", messages = new[] { new { role = "user", content = "x" } } }),
            HttpStatusCode.Conflict, "reasoning");
    }
}
