using Mender.Service.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Mender.Server.Hosting;

/// <summary>
/// Sends the server's traces and metrics to an OpenTelemetry collector over OTLP/HTTP: the HTTP requests, the
/// recommendation stages under them and the LLM calls (<see cref="MenderTelemetry"/>'s sources and meters).
/// </summary>
internal static class OtlpExport
{
    public const string ServiceName = "mender";

    public static void Add(IServiceCollection services, Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https"))
            throw new ArgumentException($"the OTLP endpoint must be an http(s) URL, got '{endpoint}'", nameof(endpoint));
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(MenderTelemetry.SourceName, MenderTelemetry.LlmSourceName)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(o => Configure(o, endpoint, "v1/traces")))
            .WithMetrics(metrics => metrics
                .AddMeter(MenderTelemetry.SourceName, MenderTelemetry.LlmSourceName)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(o => Configure(o, endpoint, "v1/metrics")));
    }

    // Set in code, the exporter posts to the endpoint as given: the signal's path is added here as the OTLP spec adds it to a base URL.
    private static void Configure(OtlpExporterOptions options, Uri endpoint, string path)
    {
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + path);
    }
}
