using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Mender.Server.Hosting;

/// <summary>
/// The counters /metrics exposes in the Prometheus text format: requests by route, method and status, a latency
/// histogram per route, requests in flight, and prompt and generated tokens of reasoning mode.
/// </summary>
internal sealed class RequestMetrics
{
    // Seconds; spans a direct-mode beam search (milliseconds) up to a long reasoning answer (a minute).
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly ConcurrentDictionary<(string Route, string Method, int Status), long> requests = new();
    private readonly ConcurrentDictionary<string, Histogram> latencies = new();
    private long inFlight;
    private long promptTokens;
    private long completionTokens;
    private long recommendedItems;

    public long InFlight => Interlocked.Read(ref inFlight);

    public void Enter() => Interlocked.Increment(ref inFlight);

    public void Leave() => Interlocked.Decrement(ref inFlight);

    public void Record(string route, string method, int status, TimeSpan elapsed)
    {
        requests.AddOrUpdate((route, method, status), 1, (_, n) => n + 1);
        latencies.GetOrAdd(route, _ => new Histogram()).Observe(elapsed.TotalSeconds);
    }

    public void Tokens(int prompt, int completion)
    {
        Interlocked.Add(ref promptTokens, prompt);
        Interlocked.Add(ref completionTokens, completion);
    }

    public void Items(int count) => Interlocked.Add(ref recommendedItems, count);

    public string Render(bool ready)
    {
        var text = new StringBuilder();
        text.Append("# HELP mender_http_requests_total HTTP requests answered, by route, method and status.\n");
        text.Append("# TYPE mender_http_requests_total counter\n");
        foreach (var ((route, method, status), count) in requests.OrderBy(p => p.Key.Route, StringComparer.Ordinal).ThenBy(p => p.Key.Status))
            text.Append($"mender_http_requests_total{{route=\"{Escape(route)}\",method=\"{method}\",status=\"{status}\"}} {count}\n");

        text.Append("# HELP mender_http_request_duration_seconds Time to answer a request, by route.\n");
        text.Append("# TYPE mender_http_request_duration_seconds histogram\n");
        foreach (var (route, histogram) in latencies.OrderBy(p => p.Key, StringComparer.Ordinal))
            histogram.Render(text, "mender_http_request_duration_seconds", $"route=\"{Escape(route)}\"");

        Gauge(text, "mender_http_requests_in_flight", "API requests being answered now.", "gauge", InFlight);
        text.Append("# HELP mender_llm_tokens_total Tokens read and written by the reasoning model.\n");
        text.Append("# TYPE mender_llm_tokens_total counter\n");
        text.Append($"mender_llm_tokens_total{{kind=\"prompt\"}} {Interlocked.Read(ref promptTokens)}\n");
        text.Append($"mender_llm_tokens_total{{kind=\"completion\"}} {Interlocked.Read(ref completionTokens)}\n");
        Gauge(text, "mender_recommended_items_total", "Items returned in recommendation lists.", "counter", Interlocked.Read(ref recommendedItems));
        Gauge(text, "mender_ready", "1 once the checkpoint is loaded.", "gauge", ready ? 1 : 0);
        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help, string type, long value) =>
        text.Append($"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");

    private sealed class Histogram
    {
        private readonly long[] counts = new long[Buckets.Length + 1];
        private long total;
        private double sum;
        private readonly Lock gate = new();

        public void Observe(double seconds)
        {
            var bucket = Array.FindIndex(Buckets, b => seconds <= b);
            lock (gate)
            {
                counts[bucket < 0 ? Buckets.Length : bucket]++;
                total++;
                sum += seconds;
            }
        }

        public void Render(StringBuilder text, string name, string labels)
        {
            lock (gate)
            {
                long cumulative = 0;
                for (var i = 0; i < Buckets.Length; i++)
                {
                    cumulative += counts[i];
                    text.Append($"{name}_bucket{{{labels},le=\"{Buckets[i].ToString(CultureInfo.InvariantCulture)}\"}} {cumulative}\n");
                }
                text.Append($"{name}_bucket{{{labels},le=\"+Inf\"}} {total}\n");
                text.Append($"{name}_sum{{{labels}}} {sum.ToString("R", CultureInfo.InvariantCulture)}\n");
                text.Append($"{name}_count{{{labels}}} {total}\n");
            }
        }
    }
}
