using Mender.Service;

namespace Mender.Server;

/// <summary>How <see cref="MenderServer.Build"/> hosts the recommendation service: what to load, where to listen, and the limits.</summary>
public sealed record ServerOptions
{
    /// <summary>Run directory of a mender/tiger checkpoint (written by `mender train`).</summary>
    public string? Checkpoint { get; init; }

    /// <summary>GGUF model for reasoning mode; without one only direct mode is served.</summary>
    public string? ModelPath { get; init; }

    /// <summary>Overrides the prompts shipped beside the binary.</summary>
    public string? PromptsDirectory { get; init; }

    /// <summary>Compute threads of the model (0: one per core).</summary>
    public int Threads { get; init; }

    /// <summary>The address to listen on.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (see <see cref="MenderServer.Addresses"/>).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Bearer key checked on every API request when set; required when <see cref="Host"/> is not a loopback address.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Requests served at once; one more is answered 429 at once (there is no queue).</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>The largest request body accepted.</summary>
    public long MaxRequestBodyBytes { get; init; } = 64 * 1024;

    /// <summary>Longest history a request may carry.</summary>
    public int MaxHistory { get; init; } = 200;

    /// <summary>The largest k a request may ask for.</summary>
    public int MaxK { get; init; } = 100;

    /// <summary>
    /// An OpenTelemetry collector (OTLP over HTTP, e.g. <c>http://localhost:4318</c>) that receives the server's traces
    /// (requests and their stages, LLM calls) and metrics; null exports nothing beyond <c>/metrics</c>.
    /// </summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>How long Ctrl+C waits for in-flight requests before it cuts them.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A service opened by the caller and shared by several hosts (tests, the load benchmark); the server does not dispose it.
    /// When null the server opens <see cref="Checkpoint"/> itself, in the background, and /readyz answers 503 until it is loaded.
    /// </summary>
    public RecommendationService? Service { get; init; }

    /// <summary>Replaces how the service is opened (tests hold it back to observe the loading state).</summary>
    internal Func<CancellationToken, RecommendationService>? Opener { get; init; }

    internal RecommendationServiceOptions ServiceOptions() => new()
    {
        Checkpoint = Checkpoint ?? throw new ArgumentException("a checkpoint directory is needed", nameof(Checkpoint)),
        ModelPath = ModelPath,
        MaxHistory = MaxHistory,
        MaxK = MaxK,
        Threads = Threads,
        PromptsDirectory = PromptsDirectory,
    };
}
