using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mender.Server.Bench;

/// <summary>A closed-loop load: <see cref="Concurrency"/> clients, each sending its next request when the last one is answered.</summary>
public sealed record ServeLoadOptions
{
    /// <summary>Clients sending requests at once.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Timed requests in all (after <see cref="Warmup"/> untimed ones).</summary>
    public int Requests { get; init; } = 500;

    /// <summary>Stops early when the timed phase runs this long.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Requests sent before timing starts.</summary>
    public int Warmup { get; init; } = 20;

    /// <summary>Items asked for per request.</summary>
    public int K { get; init; } = 10;

    /// <summary>The preference every request carries; none when null.</summary>
    public string? Preference { get; init; }

    /// <summary>Ask for reasoning mode (the server needs a model), to measure what the thought adds.</summary>
    public bool Reasoning { get; init; }

    /// <summary>The API key, when the server asks for one.</summary>
    public string? ApiKey { get; init; }
}

/// <summary>Latency percentiles (milliseconds, client side, request sent to body read) and throughput of one load run.</summary>
public sealed record ServeLoadResult(
    int Requests, int Failed, int Concurrency, double Seconds, double RequestsPerSecond,
    double MeanMs, double P50Ms, double P90Ms, double P99Ms, double MaxMs, IReadOnlyDictionary<int, int> Statuses,
    double MeanCompletionTokens);

/// <summary>
/// Drives `POST /v1/recommendations` (direct mode, or reasoning mode when asked) with a closed loop over HTTP on loopback, cycling through the
/// given users, and reports what a client sees: latency percentiles and requests per second.
/// </summary>
public static class ServeLoad
{
    /// <summary>Sends the load to <paramref name="server"/> for <paramref name="users"/> and measures it.</summary>
    public static async Task<ServeLoadResult> RunAsync(Uri server, IReadOnlyList<string> users, ServeLoadOptions options,
        IProgress<int>? progress = null, CancellationToken cancellation = default)
    {
        if (users.Count == 0) throw new ArgumentException("the load needs at least one user id", nameof(users));
        if (options.Concurrency < 1) throw new ArgumentException($"--concurrency must be at least 1, got {options.Concurrency}");
        if (options.Requests < 1) throw new ArgumentException($"--requests must be at least 1, got {options.Requests}");
        if (!server.IsLoopback) throw new ArgumentException($"the load generator only targets loopback addresses, not {server.Host}");

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var client = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromMinutes(2) };
        if (options.ApiKey is { Length: > 0 } key) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var next = -1;
        for (var i = 0; i < options.Warmup; i++)
            await SendAsync(client, users[i % users.Count], options, cancellation);

        var issued = 0;
        var completed = 0;
        var clock = Stopwatch.StartNew();
        async Task<List<(double Ms, int Status, int Tokens)>> Client()
        {
            var mine = new List<(double, int, int)>();
            while (clock.Elapsed < options.MaxDuration && Interlocked.Increment(ref issued) <= options.Requests)
            {
                var user = users[Interlocked.Increment(ref next) % users.Count];
                var start = Stopwatch.GetTimestamp();
                var (status, tokens) = await SendAsync(client, user, options, cancellation);
                mine.Add((Stopwatch.GetElapsedTime(start).TotalMilliseconds, status, tokens));
                progress?.Report(Interlocked.Increment(ref completed));
            }
            return mine;
        }
        var perClient = await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(Client, cancellation)));
        var seconds = clock.Elapsed.TotalSeconds;

        var all = perClient.SelectMany(c => c).ToArray();
        var timed = all.Select(r => r.Ms).Order().ToArray();
        var statuses = all.GroupBy(r => r.Status).ToDictionary(g => g.Key, g => g.Count());
        var failed = all.Count(r => r.Status != 200);
        return new ServeLoadResult(all.Length, failed, options.Concurrency, seconds, all.Length / seconds,
            timed.Length == 0 ? 0 : timed.Average(), Percentile(timed, 0.50), Percentile(timed, 0.90), Percentile(timed, 0.99),
            timed.Length == 0 ? 0 : timed[^1], statuses, all.Length == 0 ? 0 : all.Average(r => (double)r.Tokens));
    }

    private static async Task<(int Status, int CompletionTokens)> SendAsync(HttpClient client, string user, ServeLoadOptions options,
        CancellationToken ct)
    {
        var body = new Dictionary<string, object?> { ["user_id"] = user, ["k"] = options.K, ["preference"] = options.Preference };
        if (options.Reasoning) body["reasoning"] = true;
        using var response = await client.PostAsJsonAsync("/v1/recommendations", body, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode) return ((int)response.StatusCode, 0);
        using var answer = JsonDocument.Parse(bytes);
        return ((int)response.StatusCode, answer.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return 0;
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
