using Mender.Cluster.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Mender.Cluster;

/// <summary>The submitting side's connection to the silos: an Orleans client that finds them through the cluster's membership.</summary>
public static class ClusterClient
{
    /// <summary>
    /// A started client host; a cluster without a running silo is a <see cref="NoSiloException"/> naming the database.
    /// Calls wait up to <paramref name="callTimeout"/> for an answer (a slice of an evaluation takes minutes).
    /// </summary>
    public static async Task<IHost> ConnectAsync(ClusterConnection connection, TimeSpan callTimeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!await connection.AnySiloAsync(cancellationToken).ConfigureAwait(false))
            throw new NoSiloException($"no silo of the cluster at {connection.Where} is running");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (ClusterConnection.ClusterId, ClusterConnection.ClusterId));
            if (connection.IsLocal) client.UseLocalhostClustering(LocalCluster.GatewayPort, ClusterConnection.ClusterId, ClusterConnection.ClusterId);
            else client.UseAdoNetClustering(o => (o.Invariant, o.ConnectionString) = (ClusterConnection.Invariant, connection.ConnectionString));
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = callTimeout);
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch (Exception ex) when (ex is OrleansException or SiloUnavailableException)
        {
            host.Dispose();
            throw new NoSiloException($"no silo of the cluster at {connection.Where} answers ({ex.Message.Split('\n')[0]})", ex);
        }
    }
}
