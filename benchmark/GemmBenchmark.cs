using System.Diagnostics;
using Mender.Numerics.Kernels;

namespace Mender.Benchmark;

/// <summary>One GEMM shape timed on one backend.</summary>
public sealed record GemmMeasurement(string Backend, int M, int N, int K, double MsPerCall, double Gflops);

/// <summary>
/// Times C = A·B for a few shapes on each GEMM backend available, alternating backends between repetitions
/// so that machine noise hits both alike.
/// </summary>
public static class GemmBenchmark
{
    /// <summary>The shapes the training engine cares about: a square cube and a tall token-by-feature product.</summary>
    public static readonly (int M, int N, int K)[] DefaultShapes = [(512, 512, 512), (4096, 128, 1024)];

    /// <summary>The backends this machine can run: the managed kernel, and OpenBLAS when its library loads.</summary>
    public static IReadOnlyList<GemmBackend> AvailableBackends() =>
        OpenBlas.IsAvailable ? [GemmBackend.Managed, GemmBackend.OpenBlas] : [GemmBackend.Managed];

    /// <summary>Times each shape on each backend, keeping the best repetition; the process's backend is restored afterwards.</summary>
    /// <param name="shapes">The (M, N, K) shapes to time.</param>
    /// <param name="backends">The backends to compare.</param>
    /// <param name="secondsPerShape">Roughly how long to spend on each shape, which sets the number of repetitions.</param>
    /// <param name="cancellation">Stops the run between repetitions.</param>
    public static unsafe IReadOnlyList<GemmMeasurement> Run(IReadOnlyList<(int M, int N, int K)> shapes,
        IReadOnlyList<GemmBackend> backends, double secondsPerShape, CancellationToken cancellation)
    {
        var saved = Compute.Gemm;
        var results = new List<GemmMeasurement>();
        try
        {
            foreach (var (m, n, k) in shapes)
            {
                var a = RandomMatrix(m * k, 1);
                var b = RandomMatrix(k * n, 2);
                var c = new float[m * n];
                var best = new double[backends.Count];
                Array.Fill(best, double.MaxValue);
                var flops = 2.0 * m * n * k;
                var repeats = Math.Max(3, (int)(secondsPerShape * 50e9 / flops / backends.Count));
                fixed (float* pa = a, pb = b, pc = c)
                {
                    for (var r = 0; r <= repeats; r++)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        for (var i = 0; i < backends.Count; i++)
                        {
                            Compute.Gemm = backends[i];
                            var sw = Stopwatch.StartNew();
                            Gemm.Run(false, false, m, n, k, 1f, pa, k, pb, n, 0f, pc, n);
                            var seconds = sw.Elapsed.TotalSeconds;
                            // The first round warms code and caches; it is not timed.
                            if (r > 0) best[i] = Math.Min(best[i], seconds);
                        }
                    }
                }
                for (var i = 0; i < backends.Count; i++)
                    results.Add(new GemmMeasurement(BackendName(backends[i]), m, n, k, best[i] * 1e3, flops / best[i] / 1e9));
            }
        }
        finally
        {
            Compute.Gemm = saved;
        }
        return results;
    }

    /// <summary>The backend's name in reports, e.g. "openblas" or "managed-avx2"; automatic is named after what it picks.</summary>
    public static string BackendName(GemmBackend backend) => backend switch
    {
        GemmBackend.OpenBlas => "openblas",
        GemmBackend.Managed => "managed-" + ManagedGemm.Isa,
        _ => Compute.EffectiveGemm == GemmBackend.OpenBlas ? "openblas" : "managed-" + ManagedGemm.Isa,
    };

    private static float[] RandomMatrix(int length, int seed)
    {
        var random = new Random(seed);
        var data = new float[length];
        for (var i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return data;
    }
}
