using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace Mender.Server.Tests;

/// <summary>
/// Mutated request bodies for every POST endpoint: the server answers each with a result or a 4xx problem+json, never
/// a 500, which would mean an exception other than the API's own refusals escaped the request parsing.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RequestFuzzTests(TrainedCheckpoint checkpoint, ITestOutputHelper output) : IAsyncLifetime
{
    private TestHost host = null!;

    public async Task InitializeAsync() => host = await TestHost.InMemoryAsync(new ServerOptions { Service = checkpoint.Service });

    public async Task DisposeAsync() => await host.DisposeAsync();

    public static TheoryData<string> Endpoints() => ["/v1/recommendations", "/v1/chat/completions", "/v1/preferences:extract"];

    private byte[][] ValidBodies(string endpoint)
    {
        var user = checkpoint.Dataset.Users[2].ExternalId;
        var items = checkpoint.Dataset.Items.Take(3).Select(i => $"\"{i.ExternalId}\"");
        string[] bodies = endpoint switch
        {
            "/v1/recommendations" =>
            [
                $$"""{"user_id": "{{user}}", "preference": "fragrance-free moisturizer", "k": 5, "beam": 20, "exclude_history": true}""",
                $$"""{"history": [{{string.Join(", ", items)}}], "k": 3, "temperature": 0.5, "seed": 7}""",
            ],
            "/v1/chat/completions" =>
            [
                $$$"""{"model": "mender", "user": "{{{user}}}", "messages": [{"role": "user", "content": "something gentle"}], "metadata": {"k": "4"}}""",
                $$$"""{"messages": [{"role": "system", "content": "x"}, {"role": "user", "content": [{"type": "text", "text": "glitter"}]}], "metadata": {"history": [{{{string.Join(", ", items)}}}]}, "stream": true}""",
            ],
            _ => ["""{"reviews": [{"title": "Cream", "rating": 5, "summary": "lovely", "text": "soft, no fragrance, great for dry skin"}]}"""],
        };
        return bodies.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task MutatedBodiesGetAResultOrAProblemNeverA500(string endpoint)
    {
        var seeds = ValidBodies(endpoint);
        var random = new Random(18);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var (rounds, refused) = (0, 0);
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            var body = MutationFuzzer.Mutate(seeds, random);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await host.Client.PostAsync(endpoint, content);
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(status < 500, $"round {rounds}: {status} for {Encoding.UTF8.GetString(body)}: {text}");
            if (status >= 400)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                refused++;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            rounds++;
        }
        output.WriteLine($"{endpoint}: {rounds} mutated bodies, {refused} refused with problem+json");
        Assert.True(rounds > 20, $"only {rounds} requests in the time budget");
    }
}
