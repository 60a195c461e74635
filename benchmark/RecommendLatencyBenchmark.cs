using System.Diagnostics;
using Mender.Numerics;
using Mender.Numerics.Kernels;
using Mender.Recommender.Baselines;
using Mender.Recommender.Inference;
using Mender.Recommender.Model;
using Mender.Recommender.SemanticIds;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Mender.Benchmark;

/// <summary>What the recommend-latency benchmark runs.</summary>
public sealed record RecommendLatencyOptions
{
    /// <summary>Catalogue sizes to time (the real Beauty size and a padded synthetic one by default).</summary>
    public IReadOnlyList<int> Catalogues { get; init; } = [12_101, 1_000_000];

    /// <summary>Beam width of the search.</summary>
    public int Beam { get; init; } = 20;
    /// <summary>Items recommended per user.</summary>
    public int K { get; init; } = 10;
    /// <summary>Timed calls per measurement, from which the percentiles come.</summary>
    public int Repeats { get; init; } = 50;
    /// <summary>Untimed calls first, at least this many and for at least <see cref="WarmupSeconds"/>.</summary>
    public int Warmup { get; init; } = 30;

    /// <summary>
    /// Minimum untimed time per measurement: the JIT promotes hot paths to optimised code on a background thread after
    /// a count of calls and a delay, which a busy machine stretches well past a fixed number of calls.
    /// </summary>
    public double WarmupSeconds { get; init; } = 3;
    /// <summary>Items in each random history.</summary>
    public int History { get; init; } = 20;

    /// <summary>Users per call for the batched figure (per-user time = call time / batch).</summary>
    public int Batch { get; init; } = 64;

    /// <summary>The model's shape; the defaults are the paper's TIGER-sized model.</summary>
    public MenderModelConfig Model { get; init; } = MenderModelConfig.Paper;

    /// <summary>Seeds the model's weights, the synthetic SIDs and the histories.</summary>
    public ulong Seed { get; init; } = 42;
}

/// <summary>Latency of one method on one catalogue: milliseconds per user.</summary>
public sealed record LatencyFigures(string Method, int Items, int Batch, double P50Ms, double P99Ms, double MeanMs);

/// <summary>What the recommend-latency benchmark measured, and on what.</summary>
/// <param name="Results">The figures of each method on each catalogue.</param>
/// <param name="Parameters">The model's number of weights.</param>
/// <param name="Threads">The compute threads the run used.</param>
/// <param name="PeakRssMb">The process's peak resident memory during the run, in MB.</param>
public sealed record RecommendLatencyReport(IReadOnlyList<LatencyFigures> Results, long Parameters, int Threads, double PeakRssMb);

/// <summary>
/// Times recommendation for one user (and per user in a batch): trie-constrained beam search through the encoder-decoder,
/// next to a brute-force dense retriever that scores every item by a dot product with a query vector of the model width.
/// Synthetic catalogues get distinct random SIDs; the model's cost does not depend on the catalogue, the dense
/// retriever's grows with it, which is the point of generative retrieval.
/// </summary>
public static class RecommendLatencyBenchmark
{
    /// <summary>Times the model and the dense retriever on each catalogue, one user and a batch at a time.</summary>
    /// <param name="options">What to time.</param>
    /// <param name="progress">Told which catalogue and method are being timed; may be null.</param>
    /// <param name="cancellation">Stops the run between measurements.</param>
    public static RecommendLatencyReport Run(RecommendLatencyOptions options, Action<string>? progress, CancellationToken cancellation)
    {
        var codebooks = new[] { 256, 256, 256, 1 };
        var model = new MenderModel(options.Model with { Mode = MenderMode.Tiger, CodebookSizes = codebooks, MaxHistory = options.History, Seed = options.Seed });
        model.Eval();
        var results = new List<LatencyFigures>();
        foreach (var items in options.Catalogues)
        {
            cancellation.ThrowIfCancellationRequested();
            progress?.Invoke($"catalogue of {items:N0} items: building SIDs");
            var sids = SyntheticSids(items, options.Seed);
            var recommender = new MenderRecommender(model, sids, options.Beam);
            var rng = new Rng(options.Seed + 1);
            int[] History() => Enumerable.Range(0, options.History).Select(_ => rng.NextInt(items)).ToArray();

            progress?.Invoke($"catalogue of {items:N0} items: beam search, 1 user");
            results.Add(Time("beam-search", items, 1, options, () => recommender.Search([History()], null, options.K), cancellation));
            progress?.Invoke($"catalogue of {items:N0} items: beam search, batch {options.Batch}");
            var batch = Enumerable.Range(0, options.Batch).Select(_ => History()).ToArray();
            results.Add(Time("beam-search", items, options.Batch, options, () => recommender.Search(batch, null, options.K), cancellation));

            progress?.Invoke($"catalogue of {items:N0} items: dense dot-product retrieval");
            var width = options.Model.ModelDim;
            var table = new float[(long)items * width];
            new Rng(options.Seed + 2).FillNormal(table, 0f, 1f);
            var query = new float[width];
            var scores = new float[items];
            results.Add(Time("dense-dot-product", items, 1, options, () =>
            {
                rng.FillNormal(query, 0f, 1f);
                Compute.ForRange(items, 4096, (start, end) =>
                {
                    for (var i = start; i < end; i++) scores[i] = TensorPrimitives.Dot(table.AsSpan(i * width, width), query);
                });
                return SasRecRecommender.TopK(scores, options.K);
            }, cancellation));
        }
        return new RecommendLatencyReport(results, model.ParameterCount, Compute.Threads, ProcessMemory.PeakResidentMb());
    }

    private static LatencyFigures Time<T>(string method, int items, int batch, RecommendLatencyOptions options, Func<T> run, CancellationToken cancellation)
    {
        var samples = new double[options.Repeats];
        var warming = Stopwatch.StartNew();
        for (var i = 0; i < options.Warmup || warming.Elapsed.TotalSeconds < options.WarmupSeconds; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            run();
        }
        for (var i = 0; i < options.Repeats; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            run();
            samples[i] = clock.Elapsed.TotalMilliseconds / batch;
        }
        Array.Sort(samples);
        return new LatencyFigures(method, items, batch, Percentile(samples, 0.5), Percentile(samples, 0.99), samples.Average());
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    /// <summary>Distinct SIDs: a bijective scramble of the item id spread over three 256-code levels, collision code 0.</summary>
    internal static SidTable SyntheticSids(int items, ulong seed)
    {
        if (items > 1 << 24) throw new ArgumentException("synthetic catalogues hold at most 2^24 items");
        var codes = new int[items * 4];
        var multiplier = (uint)((seed * 2 + 1) * 0x9E3779B1UL) | 1u;
        for (var i = 0; i < items; i++)
        {
            var x = (uint)i * multiplier & 0xFFFFFF;
            codes[i * 4] = (int)(x >> 16);
            codes[i * 4 + 1] = (int)(x >> 8 & 0xFF);
            codes[i * 4 + 2] = (int)(x & 0xFF);
        }
        var ids = new string[items];
        for (var i = 0; i < items; i++) ids[i] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new SidTable(ids, codes, 4, [256, 256, 256, 1]);
    }
}
