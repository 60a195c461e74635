using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Mender.Server.Tests;

/// <summary>With an OTLP endpoint, traces and metrics reach an OpenTelemetry collector.</summary>
[Collection(ServerCollection.Name)]
public sealed class OtlpExportTests(TrainedCheckpoint checkpoint)
{
    /// <summary>Stands in for a collector: answers every OTLP/HTTP post and keeps its path, content type and body.</summary>
    private sealed class FakeCollector : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly Task serving;

        public FakeCollector()
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
            }
            listener.Prefixes.Add(Endpoint.AbsoluteUri);
            listener.Start();
            serving = Task.Run(ServeAsync);
        }

        public Uri Endpoint { get; }

        public ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> Posts { get; } = new();

        private async Task ServeAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                Posts.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            listener.Close();
            serving.Wait(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task ARequestsTraceAndTheMetricsArePostedAsProtobuf()
    {
        using var collector = new FakeCollector();
        await using (var host = await TestHost.InMemoryAsync(new ServerOptions { Service = checkpoint.Service, OtlpEndpoint = collector.Endpoint }))
        {
            await Http.ReadJsonAsync(await host.Client.PostAsync("/v1/recommendations",
                Http.Json(new { user_id = checkpoint.Dataset.Users[2].ExternalId, preference = "no fragrance", k = 3 })));
        }

        // Stopping the host flushes both exporters.
        var posts = collector.Posts.ToList();
        Assert.All(posts, p => Assert.Equal("application/x-protobuf", p.ContentType));
        // Protobuf keeps strings as UTF-8 bytes: the span and instrument names can be found in the bodies.
        var traces = string.Concat(posts.Where(p => p.Path == "/v1/traces").Select(p => System.Text.Encoding.UTF8.GetString(p.Body)));
        var metrics = string.Concat(posts.Where(p => p.Path == "/v1/metrics").Select(p => System.Text.Encoding.UTF8.GetString(p.Body)));
        Assert.Contains("mender.recommend", traces);
        Assert.Contains("mender.retrieval", traces);
        Assert.Contains("mender.stage.duration", metrics);
    }

    [Fact]
    public void AnEndpointThatIsNotHttpIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => MenderServer.Build(new ServerOptions { Service = checkpoint.Service, OtlpEndpoint = new Uri("ftp://collector/") }));
        Assert.Contains("ftp://collector/", error.Message);
    }
}
