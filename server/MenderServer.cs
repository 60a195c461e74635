using System.Net;
using Mender.Server.Api;
using Mender.Server.Hosting;
using Mender.Server.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mender.Server;

/// <summary>
/// Builds the HTTP app (the API, the probes and the web page) over one <c>RecommendationService</c>. `mender serve`,
/// the load benchmark and the tests all host this same app; tests swap the server through <see cref="Build"/>'s <c>configure</c>.
/// </summary>
public static class MenderServer
{
    /// <summary>Builds the app for <paramref name="options"/>; <paramref name="configure"/> may adjust the builder first (tests replace services there).</summary>
    public static WebApplication Build(ServerOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        Validate(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(MenderServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        // Logs go to stderr, as everything but results does in the CLI.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // A failure to start (say, the port is taken) is thrown to the caller, who reports it in one line.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
            kestrel.Listen(ListenAddress(options.Host), options.Port);
        });
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<RequestMetrics>();
        builder.Services.AddSingleton<MeterMetrics>();
        builder.Services.AddSingleton<ServiceState>();
        builder.Services.AddHostedService(s => s.GetRequiredService<ServiceState>());
        if (options.OtlpEndpoint is { } collector) OtlpExport.Add(builder.Services, collector);
        configure?.Invoke(builder);

        var app = builder.Build();
        // Listening starts now, not at the first scrape, so /metrics counts every request since start.
        app.Services.GetRequiredService<MeterMetrics>();
        app.UseRouting();
        app.UseMiddleware<MetricsMiddleware>();
        app.UseMiddleware<ProblemMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseMiddleware<ConcurrencyGate>();
        HealthEndpoints.Map(app);
        UserEndpoints.Map(app);
        RecommendationEndpoints.Map(app);
        ChatCompletionEndpoints.Map(app);
        PreferenceEndpoints.Map(app);
        StaticPage.Map(app);
        return app;
    }

    /// <summary>The addresses a started app listens on (with the real port when <see cref="ServerOptions.Port"/> was 0).</summary>
    public static IReadOnlyList<string> Addresses(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];

    /// <summary>Completes when the checkpoint is loaded; faults with the reason it could not be.</summary>
    public static Task WhenReady(WebApplication app) => app.Services.GetRequiredService<ServiceState>().Loaded;

    private static void Validate(ServerOptions options)
    {
        if (options.Port is < 0 or > 65535) throw new ArgumentException($"--port must be between 0 and 65535, got {options.Port}");
        if (options.MaxConcurrency < 1) throw new ArgumentException($"--max-concurrency must be at least 1, got {options.MaxConcurrency}");
        if (options.MaxRequestBodyBytes < 1024) throw new ArgumentException($"the request size limit must be at least 1 KiB, got {options.MaxRequestBodyBytes}");
        if (options.Service is null && options.Opener is null)
        {
            if (string.IsNullOrWhiteSpace(options.Checkpoint)) throw new ArgumentException("a checkpoint directory is needed (--checkpoint DIR)");
            if (!Directory.Exists(options.Checkpoint))
                throw new FileNotFoundException($"checkpoint directory {options.Checkpoint} does not exist", options.Checkpoint);
        }
        ListenAddress(options.Host);
        if (!IsLoopback(options.Host) && string.IsNullOrEmpty(options.ApiKey))
            throw new ArgumentException($"refusing to listen on {options.Host} without an API key: pass --api-key KEY (or bind to 127.0.0.1)");
    }

    internal static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    private static IPAddress ListenAddress(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        if (host is "*" or "+") return IPAddress.IPv6Any;
        return IPAddress.TryParse(host, out var ip) ? ip : throw new ArgumentException($"--host must be an IP address or localhost, not '{host}'");
    }
}
