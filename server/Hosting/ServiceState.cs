using Mender.Service;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Mender.Server.Hosting;

/// <summary>
/// The recommendation service as the server sees it: loading in the background after start (so /healthz answers at
/// once and /readyz flips when the checkpoint is in memory), then ready, or failed with the reason.
/// </summary>
internal sealed class ServiceState(ServerOptions options, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    : IHostedService, IDisposable
{
    private readonly ILogger logger = loggers.CreateLogger<ServiceState>();
    private readonly TaskCompletionSource<RecommendationService> loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopping = new();
    private RecommendationService? owned;

    /// <summary>The service once loaded, or null while it loads or after it failed.</summary>
    public RecommendationService? Service => loaded.Task.IsCompletedSuccessfully ? loaded.Task.Result : null;

    /// <summary>Why loading failed, or null.</summary>
    public Exception? Failure => loaded.Task.IsFaulted ? loaded.Task.Exception!.InnerException : null;

    /// <summary>Completes when the service is loaded; faults when it could not be.</summary>
    public Task<RecommendationService> Loaded => loaded.Task;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Service is { } shared)
        {
            loaded.SetResult(shared);
            return Task.CompletedTask;
        }
        _ = Task.Run(Load, CancellationToken.None);
        return Task.CompletedTask;
    }

    private void Load()
    {
        try
        {
            var service = options.Opener is { } open ? open(stopping.Token) : OpenService();
            owned = service;
            loaded.SetResult(service);
            logger.LogInformation("checkpoint loaded: {Users} users, {Items} items, reasoning {Reasoning}",
                service.Dataset.Users.Count, service.Dataset.Items.Count, service.CanReason ? $"with {service.ModelName}" : "off (no --model)");
        }
        catch (Exception e)
        {
            logger.LogError("could not load the checkpoint: {Message}", e.Message);
            loaded.SetException(e);
            // A server that can never answer is worse than one that exits with the reason.
            lifetime.StopApplication();
        }
    }

    /// <summary>The service the options describe; its calls to the LLM log where the server logs.</summary>
    private RecommendationService OpenService()
    {
        var serviceOptions = options.ServiceOptions();
        serviceOptions.LoggerFactory = loggers;
        return RecommendationService.Open(serviceOptions);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        stopping.Cancel();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        owned?.Dispose();
        stopping.Dispose();
    }
}
