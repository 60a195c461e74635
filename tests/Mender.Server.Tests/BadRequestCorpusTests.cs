using System.Net;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Mender.Server.Tests;

/// <summary>
/// Bad requests a hostile client sends, each answered with RFC 7807 problem+json: a 4xx status (never 500), a one-line
/// detail under 500 characters, and the field at fault named where there is one.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BadRequestCorpusTests(TrainedCheckpoint checkpoint, ITestOutputHelper output) : IAsyncLifetime
{
    private TestHost host = null!;

    public async Task InitializeAsync() => host = await TestHost.InMemoryAsync(new ServerOptions { Service = checkpoint.Service });

    public async Task DisposeAsync() => await host.DisposeAsync();

    /// <summary>One bad request: what is sent, the status it must get, and what the problem must say.</summary>
    public sealed record Case(string Method, string Path, string? Body, HttpStatusCode Status, string? Field = null, string? Detail = null,
        string ContentType = "application/json");

    private const string Recommend = "/v1/recommendations";
    private const string Chat = "/v1/chat/completions";
    private const string Extract = "/v1/preferences:extract";

    public static IEnumerable<Case> Corpus()
    {
        var huge = new string('x', 50_000);
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200);
        return
        [
            new("GET", "/no/such/endpoint", null, HttpStatusCode.NotFound, Detail: "no endpoint"),
            new("GET", Recommend, null, HttpStatusCode.MethodNotAllowed, Detail: "POST"),
            new("DELETE", "/v1/users", null, HttpStatusCode.MethodNotAllowed, Detail: "GET"),
            new("GET", "/v1/users?limit=abc", null, HttpStatusCode.BadRequest),
            new("POST", Recommend, "{\"k\": 99999999999}", HttpStatusCode.BadRequest, "k", "out of range"),
            new("POST", Recommend, "{\"k\": 5.5}", HttpStatusCode.BadRequest, "k"),
            new("POST", Recommend, "{\"k\": \"5\"}", HttpStatusCode.BadRequest, "k", "a string"),
            new("POST", Recommend, "{\"k\": \"five\"}", HttpStatusCode.BadRequest, "k", "a string"),
            new("POST", Recommend, "{\"k\": 0, \"preference\": \"x\"}", HttpStatusCode.BadRequest, "k"),
            new("POST", Recommend, "[1, 2, 3]", HttpStatusCode.BadRequest, Detail: "body must be a JSON object, not an array"),
            new("POST", Recommend, "\"text\"", HttpStatusCode.BadRequest, Detail: "body must be a JSON object, not a string"),
            new("POST", Recommend, "null", HttpStatusCode.BadRequest, Detail: "null"),
            new("POST", Recommend, "", HttpStatusCode.BadRequest, Detail: "empty"),
            new("POST", Recommend, "{\"user_id\": \"x\",", HttpStatusCode.BadRequest),
            new("POST", Recommend, deep, HttpStatusCode.BadRequest),
            new("POST", Recommend, "{\"" + huge + "\": 1}", HttpStatusCode.BadRequest, Detail: "unknown field"),
            new("POST", Recommend, "{\"user_id\": \"" + huge + "\"}", HttpStatusCode.NotFound),
            new("POST", Recommend, "{\"user_id\": \"" + new string('y', 70_000) + "\"}", HttpStatusCode.RequestEntityTooLarge),
            new("POST", Recommend, "{\"history\": [1, 2]}", HttpStatusCode.BadRequest, "history[0]"),
            new("POST", Recommend, "{\"history\": \"a,b\"}", HttpStatusCode.BadRequest, "history"),
            new("POST", Recommend, "{\"userid\": \"u\"}", HttpStatusCode.BadRequest, Detail: "'userid'"),
            new("POST", Recommend, "{\"temperature\": \"hot\"}", HttpStatusCode.BadRequest, "temperature"),
            new("POST", Recommend, "{\"reasoning\": 1}", HttpStatusCode.BadRequest, "reasoning"),
            new("POST", Recommend, "{\"turns\": [\"no vanilla\"], \"preference\": \"x\"}", HttpStatusCode.BadRequest, "turns", "not both"),
            new("POST", Recommend, "{\"turns\": \"no vanilla\"}", HttpStatusCode.BadRequest, "turns"),
            new("POST", Recommend, "{\"user_id\": \"u\"}", HttpStatusCode.UnsupportedMediaType, ContentType: "text/plain"),
            new("POST", Chat, "{\"messages\": []}", HttpStatusCode.BadRequest, "messages"),
            new("POST", Chat, "{\"model\": \"gpt-4\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}", HttpStatusCode.BadRequest, "model"),
            new("POST", Chat, "{\"reasoning\": true, \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}", HttpStatusCode.Conflict, "reasoning"),
            new("POST", Chat, "{\"messages\": [{\"role\": \"user\", \"content\": 5}]}", HttpStatusCode.BadRequest, "messages"),
            new("POST", Chat, "{\"messages\": \"content\": \"x\"}]}", HttpStatusCode.BadRequest, "messages", "wrong type"),
            new("POST", Chat, "{\"metadata\": {\"k\": true}, \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}", HttpStatusCode.BadRequest, "metadata.k"),
            new("POST", Chat, "{\"metadata\": {\"exclude_history\": \"maybe\"}, \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}", HttpStatusCode.BadRequest,
                "metadata.exclude_history", "metadata.exclude_history must be true or false"),
            new("POST", Chat, "{\"temperature\": \"0.5\", \"messages\": [{\"role\": \"user\", \"content\": \"x\"}]}", HttpStatusCode.BadRequest, "temperature"),
            new("POST", Extract, "{}", HttpStatusCode.BadRequest, "reviews"),
            new("POST", Extract, "{\"reviews\": \"good\"}", HttpStatusCode.BadRequest, "reviews"),
            new("POST", Extract, "{\"reviews\": [{\"rating\": \"5\", \"text\": \"ok\"}]}", HttpStatusCode.BadRequest, "reviews[0].rating"),
        ];
    }

    [Fact]
    public async Task EveryBadRequestGetsAProblemNamingWhatIsWrong()
    {
        var cases = Corpus().ToList();
        foreach (var c in cases)
        {
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path);
            if (c.Body is not null) request.Content = new StringContent(c.Body, Encoding.UTF8, c.ContentType);
            using var response = await host.Client.SendAsync(request);
            var what = $"{c.Method} {c.Path} {Shorten(c.Body)}";
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(c.Status == response.StatusCode, $"{what}: expected {(int)c.Status}, got {(int)response.StatusCode}: {Shorten(text)}");
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{what}: not problem+json: {Shorten(text)}");
            var problem = JsonDocument.Parse(text).RootElement;
            Assert.Equal((int)c.Status, problem.GetProperty("status").GetInt32());
            var detail = problem.GetProperty("detail").GetString()!;
            Assert.True(detail.Length is > 0 and < 500 && !detail.Contains('\n'), $"{what}: detail is not one short line: {Shorten(detail)}");
            if (c.Field is not null)
                Assert.True(problem.TryGetProperty("field", out var field) && field.GetString() == c.Field, $"{what}: field should be {c.Field}: {text}");
            if (c.Detail is not null) Assert.Contains(c.Detail, detail);
            if (c.Status == HttpStatusCode.MethodNotAllowed) Assert.NotEmpty(response.Content.Headers.Allow);
        }
        output.WriteLine($"{cases.Count} bad requests answered with problem+json");
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length > 120 ? text[..120] + "..." : text;
}
