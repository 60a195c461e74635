using System.Net;
using System.Net.Sockets;
using Mender.Cluster.Jobs;
using Mender.Cluster.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting.Kubernetes;

namespace Mender.Cluster.Silo;

/// <summary>
/// Where a silo listens: the address other silos and clients reach it at, and its ports (0 picks free ones). On
/// <see cref="Kubernetes"/> the pod gives the address, the silo's name and the cluster ids (Orleans' Kubernetes hosting),
/// and the ports default to Orleans' 11111 and 30000.
/// </summary>
public sealed record SiloEndpoints(IPAddress Address, int SiloPort = 0, int GatewayPort = 0, int MetricsPort = 0, bool Kubernetes = false);

/// <summary>
/// An Orleans silo joined to the cluster (through ADO.NET clustering on the job database, or Orleans' development
/// clustering for a <see cref="LocalCluster"/>), hosting the job grains, the lease worker and the <c>/metrics</c> page.
/// Runs until stopped, or until the worker refuses a job (see <see cref="SiloFault"/>).
/// </summary>
public static class ClusterSilo
{
    /// <summary>Runs the silo until <paramref name="cancellationToken"/> fires or the worker refuses a job; <paramref name="announce"/> hears where it listens.</summary>
    public static async Task RunAsync(ClusterConnection connection, SiloExtractor extractor, SiloEndpoints endpoints,
        Action<string> announce, CancellationToken cancellationToken)
    {
        var fault = new SiloFault();
        var (host, identity) = await StartAsync(connection, extractor, endpoints, fault, cancellationToken).ConfigureAwait(false);
        using (host)
        {
            announce($"silo {identity.Name} joined cluster at {connection.Where}; hosts {extractor.Describe}; metrics at http://{endpoints.Address}:{identity.MetricsPort}/metrics");
            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        if (fault.Error is { } error) throw error;
    }

    /// <summary>Builds and starts the silo's host; on a local cluster, under the start-up lock from choosing its ports until they are bound.</summary>
    private static async Task<(IHost Host, SiloIdentity Identity)> StartAsync(ClusterConnection connection, SiloExtractor extractor,
        SiloEndpoints endpoints, SiloFault fault, CancellationToken cancellationToken)
    {
        using var starting = connection.IsLocal ? await LocalCluster.HoldStartLockAsync(cancellationToken).ConfigureAwait(false) : null;
        // The first silo of a local cluster takes Orleans' usual ports, where the others and the clients look for it.
        var primary = connection.IsLocal && LocalCluster.PrimaryPortIsFree();
        var siloPort = primary ? LocalCluster.PrimarySiloPort : endpoints.Kubernetes && endpoints.SiloPort == 0 ? KubernetesSiloPort : Free(endpoints.SiloPort);
        var gatewayPort = primary ? LocalCluster.GatewayPort : endpoints.Kubernetes && endpoints.GatewayPort == 0 ? KubernetesGatewayPort : Free(endpoints.GatewayPort);
        var identity = new SiloIdentity($"{Dns.GetHostName()}:{siloPort}", Free(endpoints.MetricsPort));
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        // Orleans' chatter below warnings goes nowhere; its note that a workstation GC is in use is no news for a silo
        // whose work is single-threaded extraction, so Orleans.Runtime.Silo keeps only errors.
        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Orleans.Runtime.Silo", LogLevel.Error)
            .AddFilter("Microsoft", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);
        builder.Logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterConnection.ClusterId, ClusterConnection.ClusterId));
            if (connection.IsLocal)
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort, primary ? null : LocalCluster.Primary, ClusterConnection.ClusterId, ClusterConnection.ClusterId);
                return;
            }
            silo.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (ClusterConnection.Invariant, connection.ConnectionString));
            if (endpoints.Kubernetes)
            {
                // The pod's labels name the cluster (orleans/clusterId, orleans/serviceId: "mender", as the manifest sets
                // them), and silos whose pods are gone are declared dead at once instead of after missed probes.
                silo.UseKubernetesHosting();
                silo.Configure<EndpointOptions>(o => (o.SiloPort, o.GatewayPort) = (siloPort, gatewayPort));
            }
            else
            {
                silo.ConfigureEndpoints(endpoints.Address, siloPort, gatewayPort, listenOnAnyHostAddress: true);
            }
        });
        builder.Services.AddSingleton(connection).AddSingleton(extractor).AddSingleton(identity).AddSingleton(fault)
            .AddSingleton<SiloMetrics>().AddSingleton<ClusterJobs>().AddSingleton<LeaseStore>().AddSingleton<Evaluation.EvaluationTargets>()
            .AddHostedService<LeaseWorker>().AddHostedService<MetricsListener>();
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return (host, identity);
    }

    /// <summary>Orleans' usual silo port, which a Kubernetes manifest can name.</summary>
    public const int KubernetesSiloPort = 11111;

    /// <summary>Orleans' usual gateway port.</summary>
    public const int KubernetesGatewayPort = 30000;

    /// <summary>The port itself, or for 0 a port the kernel hands out and that nothing holds at this moment.</summary>
    private static int Free(int port)
    {
        if (port != 0) return port;
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
