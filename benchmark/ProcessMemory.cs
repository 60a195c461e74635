namespace Mender.Benchmark;

/// <summary>Peak memory of this process, for benchmark reports.</summary>
public static class ProcessMemory
{
    /// <summary>Peak resident set size in MB (VmHWM on Linux, the peak working set elsewhere).</summary>
    public static double PeakResidentMb()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (var line in File.ReadLines(status))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && long.TryParse(parts[1], out var kb)) return kb / 1024.0;
            }
        }
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
