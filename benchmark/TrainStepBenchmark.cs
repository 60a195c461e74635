using System.Diagnostics;
using Mender.Numerics;
using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Operations;
using Mender.Numerics.Optim;
using Mender.Numerics.Tensors;

namespace Mender.Benchmark;

/// <summary>What the training-step benchmark runs.</summary>
public sealed record TrainStepOptions
{
    public int Steps { get; init; } = 5;
    public int Batch { get; init; } = 256;
    public bool Dropout { get; init; } = true;
    public int WarmupSteps { get; init; } = 1;
    public ulong Seed { get; init; } = 42;

    /// <summary>Backends to time; several alternate step by step on the same model.</summary>
    public IReadOnlyList<GemmBackend> Backends { get; init; } = [GemmBackend.Auto];

    public Seq2SeqShape Shape { get; init; } = new();
}

/// <summary>Timings of one GEMM backend: median milliseconds per step and the samples per second that gives.</summary>
public sealed record TrainStepTiming(string Gemm, double MsPerStep, double SamplesPerSecond, IReadOnlyList<double> StepMs);

/// <summary>The timings plus memory: peak resident set and the part of it held by the tensor buffer pool.</summary>
public sealed record TrainStepReport(IReadOnlyList<TrainStepTiming> Timings, double PeakRssMb, double BufferPoolMb, long Parameters,
    double FirstLoss, double LastLoss, int Threads, string ManagedIsa);

/// <summary>
/// Times full training steps (forward, cross-entropy, backward, AdamW) of a TIGER-sized encoder-decoder on random
/// tokens. Each timed step is wall-clock from the tape's start to the optimizer's update.
/// </summary>
public static class TrainStepBenchmark
{
    public static TrainStepReport Run(TrainStepOptions options, Action<string>? progress, CancellationToken cancellation)
    {
        var shape = options.Dropout ? options.Shape : options.Shape with { Layer = options.Shape.Layer with { Dropout = 0f } };
        var rng = new Rng(options.Seed);
        var model = new Seq2SeqBenchModel(shape, rng);
        var optimizer = new AdamW(model.Parameters(), learningRate: 1e-3f, weightDecay: 0.01f, decays: AdamW.MatricesOnly);
        var batch = options.Batch;
        var (te, td) = (shape.EncoderLength, shape.DecoderLength);
        var data = new Rng(options.Seed + 1);
        var encoderIds = RandomIds(data, batch * te, shape.Vocabulary);
        var decoderIds = RandomIds(data, batch * td, shape.Vocabulary);
        var targets = RandomIds(data, batch * td, shape.Vocabulary);
        var saved = Compute.Gemm;
        var times = options.Backends.Select(_ => new List<double>()).ToArray();
        double firstLoss = double.NaN, lastLoss = double.NaN;
        try
        {
            for (var step = 0; step < options.WarmupSteps + options.Steps; step++)
            {
                for (var b = 0; b < options.Backends.Count; b++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    Compute.Gemm = options.Backends[b];
                    var sw = Stopwatch.StartNew();
                    float loss;
                    using (var tape = Tape.Record())
                    {
                        var logits = model.Forward(encoderIds, decoderIds, batch);
                        var l = Ops.CrossEntropy(logits, targets);
                        tape.Backward(l);
                        loss = l.Item();
                    }
                    optimizer.Step();
                    optimizer.ZeroGrad();
                    var ms = sw.Elapsed.TotalMilliseconds;
                    if (double.IsNaN(firstLoss)) firstLoss = loss;
                    lastLoss = loss;
                    var warm = step < options.WarmupSteps;
                    if (!warm) times[b].Add(ms);
                    progress?.Invoke($"{(warm ? "warm-up" : "step " + (step - options.WarmupSteps + 1))} " +
                        $"[{GemmBenchmark.BackendName(options.Backends[b])}]: {ms:F0} ms, loss {loss:F4}");
                }
            }
        }
        finally
        {
            Compute.Gemm = saved;
        }
        var timings = options.Backends.Select((backend, b) =>
        {
            var median = Median(times[b]);
            return new TrainStepTiming(GemmBenchmark.BackendName(backend), median, batch / (median / 1000.0), times[b]);
        }).ToList();
        return new TrainStepReport(timings, ProcessMemory.PeakResidentMb(), BufferPool.AllocatedBytes / (1024.0 * 1024.0),
            model.ParameterCount, firstLoss, lastLoss, Compute.Threads, ManagedGemm.Isa);
    }

    private static int[] RandomIds(Rng rng, int count, int vocabulary)
    {
        var ids = new int[count];
        for (var i = 0; i < count; i++) ids[i] = rng.NextInt(vocabulary);
        return ids;
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
