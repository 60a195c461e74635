using System.Globalization;
using System.Text;

namespace Mender.Cluster.Silo;

/// <summary>This silo's counters, shown on its Prometheus <c>/metrics</c> page.</summary>
public sealed class SiloMetrics
{
    private long _completed, _failed, _inputTokens, _outputTokens, _leasesTaken, _leasesDone, _leasesLost, _busy;

    public long Completed => Interlocked.Read(ref _completed);

    public void Prompts(int completed, int failed, long inputTokens, long outputTokens)
    {
        Interlocked.Add(ref _completed, completed);
        Interlocked.Add(ref _failed, failed);
        Interlocked.Add(ref _inputTokens, inputTokens);
        Interlocked.Add(ref _outputTokens, outputTokens);
    }

    public void LeaseTaken()
    {
        Interlocked.Increment(ref _leasesTaken);
        Interlocked.Exchange(ref _busy, 1);
    }

    public void LeaseEnded(bool done)
    {
        Interlocked.Increment(ref done ? ref _leasesDone : ref _leasesLost);
        Interlocked.Exchange(ref _busy, 0);
    }

    /// <summary>The Prometheus text exposition format (version 0.0.4).</summary>
    public string Render(string silo)
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help, params (string Labels, long Value)[] samples)
        {
            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, value) in samples)
                text.Append(name).Append("{silo=\"").Append(silo).Append('"').Append(labels).Append("} ")
                    .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        Metric("mender_silo_prompts_total", "counter", "Prompts this silo finished, by outcome.",
            (",outcome=\"completed\"", Completed), (",outcome=\"failed\"", Interlocked.Read(ref _failed)));
        Metric("mender_silo_tokens_total", "counter", "Tokens this silo's extractor read and wrote.",
            (",direction=\"input\"", Interlocked.Read(ref _inputTokens)), (",direction=\"output\"", Interlocked.Read(ref _outputTokens)));
        Metric("mender_silo_leases_total", "counter", "Leases this silo took, finished, and lost to expiry.",
            (",event=\"taken\"", Interlocked.Read(ref _leasesTaken)), (",event=\"done\"", Interlocked.Read(ref _leasesDone)),
            (",event=\"lost\"", Interlocked.Read(ref _leasesLost)));
        Metric("mender_silo_busy", "gauge", "1 while this silo holds a lease.", ("", Interlocked.Read(ref _busy)));
        return text.ToString();
    }
}
