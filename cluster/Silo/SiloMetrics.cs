using System.Globalization;
using System.Text;

namespace Mender.Cluster.Silo;

/// <summary>This silo's counters, shown on its Prometheus <c>/metrics</c> page.</summary>
public sealed class SiloMetrics
{
    private long completed, failed, inputTokens, outputTokens, leasesTaken, leasesDone, leasesLost, busy;

    /// <summary>Prompts this silo finished successfully.</summary>
    public long Completed => Interlocked.Read(ref completed);

    /// <summary>Counts prompts finished since the last report and the tokens they took.</summary>
    public void Prompts(int newlyCompleted, int newlyFailed, long input, long output)
    {
        Interlocked.Add(ref completed, newlyCompleted);
        Interlocked.Add(ref failed, newlyFailed);
        Interlocked.Add(ref inputTokens, input);
        Interlocked.Add(ref outputTokens, output);
    }

    /// <summary>The silo took a lease and is busy.</summary>
    public void LeaseTaken()
    {
        Interlocked.Increment(ref leasesTaken);
        Interlocked.Exchange(ref busy, 1);
    }

    /// <summary>The silo's lease ended: finished (<paramref name="done"/>), or lost to expiry.</summary>
    public void LeaseEnded(bool done)
    {
        Interlocked.Increment(ref done ? ref leasesDone : ref leasesLost);
        Interlocked.Exchange(ref busy, 0);
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
            (",outcome=\"completed\"", Completed), (",outcome=\"failed\"", Interlocked.Read(ref failed)));
        Metric("mender_silo_tokens_total", "counter", "Tokens this silo's extractor read and wrote.",
            (",direction=\"input\"", Interlocked.Read(ref inputTokens)), (",direction=\"output\"", Interlocked.Read(ref outputTokens)));
        Metric("mender_silo_leases_total", "counter", "Leases this silo took, finished, and lost to expiry.",
            (",event=\"taken\"", Interlocked.Read(ref leasesTaken)), (",event=\"done\"", Interlocked.Read(ref leasesDone)),
            (",event=\"lost\"", Interlocked.Read(ref leasesLost)));
        Metric("mender_silo_busy", "gauge", "1 while this silo holds a lease.", ("", Interlocked.Read(ref busy)));
        return text.ToString();
    }
}
