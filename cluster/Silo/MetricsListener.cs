using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;

namespace Mender.Cluster.Silo;

/// <summary>
/// A small HTTP listener that serves <c>GET /metrics</c> for Prometheus. A silo is no web server, so this avoids
/// pulling ASP.NET into every worker for one page.
/// </summary>
internal sealed class MetricsListener(SiloMetrics metrics, SiloIdentity identity) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://*:{identity.MetricsPort}/");
        listener.Start();
        await using var stop = stoppingToken.Register(listener.Stop);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException && stoppingToken.IsCancellationRequested)
            {
                return;
            }
            using var response = context.Response;
            if (context.Request.Url?.AbsolutePath != "/metrics")
            {
                response.StatusCode = 404;
                continue;
            }
            var body = Encoding.UTF8.GetBytes(metrics.Render(identity.Name));
            response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body, stoppingToken).ConfigureAwait(false);
        }
    }
}
