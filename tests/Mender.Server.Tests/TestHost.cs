using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace Mender.Server.Tests;

/// <summary>
/// The app <see cref="MenderServer.Build"/> makes, hosted either in memory (TestServer) or on a real loopback port
/// (Kestrel, for the browser, load and shutdown tests).
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private TestHost(WebApplication app, HttpClient client, Uri address)
    {
        App = app;
        Client = client;
        Address = address;
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public Uri Address { get; }

    public static async Task<TestHost> InMemoryAsync(ServerOptions options)
    {
        var app = MenderServer.Build(options, builder => builder.WebHost.UseTestServer());
        await app.StartAsync();
        return new TestHost(app, app.GetTestClient(), new Uri("http://localhost/"));
    }

    public static async Task<TestHost> LoopbackAsync(ServerOptions options)
    {
        var app = MenderServer.Build(options with { Host = "127.0.0.1", Port = 0 });
        await app.StartAsync();
        var address = new Uri(MenderServer.Addresses(app)[0]);
        return new TestHost(app, new HttpClient { BaseAddress = address }, address);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
