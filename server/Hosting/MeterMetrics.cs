using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Mender.Service.Telemetry;

namespace Mender.Server.Hosting;

/// <summary>
/// The service's OpenTelemetry instruments as Prometheus text for <c>/metrics</c>: the stages' durations and token
/// counts (<see cref="MenderTelemetry.SourceName"/>) and the LLM pipeline's gen_ai metrics
/// (<see cref="MenderTelemetry.LlmSourceName"/>). Counters are rendered as counters; histograms as summaries (sum and
/// count per label set), which is what rates and mean latencies per stage need. Instruments are process-wide, so the
/// figures count every service the process hosts.
/// </summary>
internal sealed class MeterMetrics : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), Sum> sums = new();

    public MeterMetrics()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name is MenderTelemetry.SourceName or MenderTelemetry.LlmSourceName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Observe(instrument, value, tags));
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Observe(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Observe(instrument, value, tags));
        listener.Start();
    }

    private void Observe(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new List<string>(tags.Length);
        foreach (var (key, tag) in tags)
            labels.Add($"{Name(key)}=\"{Escape(Convert.ToString(tag, CultureInfo.InvariantCulture) ?? "")}\"");
        labels.Sort(StringComparer.Ordinal);
        sums.GetOrAdd((instrument, string.Join(",", labels)), _ => new Sum()).Add(value);
    }

    public string Render()
    {
        var text = new StringBuilder();
        foreach (var group in sums.GroupBy(p => p.Key.Instrument).OrderBy(g => g.Key.Meter.Name, StringComparer.Ordinal).ThenBy(g => g.Key.Name, StringComparer.Ordinal))
        {
            var instrument = group.Key;
            var histogram = instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal);
            var name = Name(instrument.Name) + (instrument.Unit == "s" ? "_seconds" : "") + (histogram ? "" : "_total");
            text.Append($"# HELP {name} {instrument.Description}\n# TYPE {name} {(histogram ? "summary" : "counter")}\n");
            foreach (var ((_, labels), sum) in group.OrderBy(p => p.Key.Labels, StringComparer.Ordinal))
            {
                var braces = labels.Length == 0 ? "" : "{" + labels + "}";
                var (total, count) = sum.Read();
                if (histogram)
                {
                    text.Append($"{name}_sum{braces} {total.ToString("R", CultureInfo.InvariantCulture)}\n");
                    text.Append($"{name}_count{braces} {count}\n");
                }
                else
                    text.Append($"{name}{braces} {total.ToString("R", CultureInfo.InvariantCulture)}\n");
            }
        }
        return text.ToString();
    }

    public void Dispose() => listener.Dispose();

    /// <summary>OpenTelemetry names use dots; Prometheus names allow letters, digits and underscores.</summary>
    private static string Name(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'));

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private sealed class Sum
    {
        private readonly Lock gate = new();
        private double total;
        private long count;

        public void Add(double value)
        {
            lock (gate)
            {
                total += value;
                count++;
            }
        }

        public (double Total, long Count) Read()
        {
            lock (gate) return (total, count);
        }
    }
}
