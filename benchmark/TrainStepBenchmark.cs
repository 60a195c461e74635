using System.Diagnostics;
using Mender.Data;
using Mender.Numerics;
using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Operations;
using Mender.Numerics.Optim;
using Mender.Numerics.Tensors;
using Mender.Recommender.Baselines;
using Mender.Recommender.Model;

namespace Mender.Benchmark;

/// <summary>The model a training-step benchmark trains.</summary>
public enum TrainStepModel
{
    /// <summary>A generic TIGER-sized encoder-decoder over random token sequences (<see cref="Seq2SeqShape"/>).</summary>
    Seq2Seq,

    /// <summary>The Mender model in tiger mode with the cpu preset, stepped as <c>mender train</c> steps it.</summary>
    MenderCpu,

    /// <summary>The same with the paper preset.</summary>
    MenderPaper,

    /// <summary>SASRec with its default settings over a Beauty-sized catalogue, stepped as <c>mender train --mode sasrec</c> steps it.</summary>
    SasRec,
}

/// <summary>How the compute threads share a training step.</summary>
public enum StepSplit
{
    /// <summary>Data-parallel: the batch cut into shards that run at once, one tape each (<see cref="DataParallel"/>), as `mender train` runs.</summary>
    Samples,

    /// <summary>The whole batch one tape, each operation split across the threads: the baseline the shards replaced.</summary>
    Operations,
}

/// <summary>What the training-step benchmark runs.</summary>
public sealed record TrainStepOptions
{
    /// <summary>Timed steps per backend.</summary>
    public int Steps { get; init; } = 5;
    /// <summary>Samples per step.</summary>
    public int Batch { get; init; } = 256;
    /// <summary>Whether dropout is on during the steps, as in real training.</summary>
    public bool Dropout { get; init; } = true;
    /// <summary>Untimed steps first, at least this many and for at least <see cref="WarmupSeconds"/>.</summary>
    public int WarmupSteps { get; init; } = 1;

    /// <summary>
    /// Minimum untimed time: the JIT promotes hot paths to optimised code on a background thread after a count of calls
    /// and a delay, which a busy machine stretches well past a fixed number of steps.
    /// </summary>
    public double WarmupSeconds { get; init; } = 3;
    /// <summary>Seeds the weights, the random tokens and dropout.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Backends to time; several alternate step by step on the same model.</summary>
    public IReadOnlyList<GemmBackend> Backends { get; init; } = [GemmBackend.Auto];

    /// <summary>Ways of sharing a step between threads to time; several alternate step by step, as backends do.</summary>
    public IReadOnlyList<StepSplit> Splits { get; init; } = [StepSplit.Samples];

    /// <summary>The sizes of the encoder-decoder when <see cref="Model"/> is <see cref="TrainStepModel.Seq2Seq"/>.</summary>
    public Seq2SeqShape Shape { get; init; } = new();

    /// <summary>Which model to train.</summary>
    public TrainStepModel Model { get; init; } = TrainStepModel.Seq2Seq;
}

/// <summary>Timings of one GEMM backend and split: median milliseconds per step and the samples per second that gives.</summary>
public sealed record TrainStepTiming(string Gemm, string Split, double MsPerStep, double SamplesPerSecond, IReadOnlyList<double> StepMs);

/// <summary>The timings plus memory: peak resident set and the part of it held by the tensor buffer pool.</summary>
public sealed record TrainStepReport(IReadOnlyList<TrainStepTiming> Timings, double PeakRssMb, double BufferPoolMb, long Parameters,
    double FirstLoss, double LastLoss, int Threads, string ManagedIsa, float Dropout);

/// <summary>
/// Times full training steps (forward, cross-entropy, backward, AdamW) of a TIGER-sized encoder-decoder on random
/// tokens. Each timed step is wall-clock from the tape's start to the optimizer's update.
/// </summary>
public static class TrainStepBenchmark
{
    /// <summary>Warms up, then times the steps on each backend in turn; the process's backend is restored afterwards.</summary>
    /// <param name="options">What to train and time.</param>
    /// <param name="progress">Told how the run is going; may be null.</param>
    /// <param name="cancellation">Stops the run between steps.</param>
    public static TrainStepReport Run(TrainStepOptions options, Action<string>? progress, CancellationToken cancellation)
    {
        var (step, parameters, dropout) = options.Model switch
        {
            TrainStepModel.Seq2Seq => Seq2SeqStep(options),
            TrainStepModel.SasRec => SasRecModelStep(options),
            _ => MenderModelStep(options),
        };
        var variants = options.Backends.SelectMany(backend => options.Splits.Select(split => (Backend: backend, Split: split))).ToArray();
        var saved = Compute.Gemm;
        var times = variants.Select(_ => new List<double>()).ToArray();
        double firstLoss = double.NaN, lastLoss = double.NaN;
        try
        {
            var warming = Stopwatch.StartNew();
            var warmupSteps = 0;
            for (var s = 0; s < warmupSteps + options.Steps; s++)
            {
                var warm = s == warmupSteps && (s < options.WarmupSteps || warming.Elapsed.TotalSeconds < options.WarmupSeconds);
                if (warm) warmupSteps++;
                for (var v = 0; v < variants.Length; v++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    Compute.Gemm = variants[v].Backend;
                    var sw = Stopwatch.StartNew();
                    var loss = step(variants[v].Split);
                    var ms = sw.Elapsed.TotalMilliseconds;
                    if (double.IsNaN(firstLoss)) firstLoss = loss;
                    lastLoss = loss;
                    if (!warm) times[v].Add(ms);
                    progress?.Invoke($"{(warm ? "warm-up" : "step " + (s - warmupSteps + 1))} " +
                        $"[{GemmBenchmark.BackendName(variants[v].Backend)}, {SplitName(variants[v].Split)}]: {ms:F0} ms, loss {loss:F4}");
                }
            }
        }
        finally
        {
            Compute.Gemm = saved;
        }
        var batch = options.Batch;
        var timings = variants.Select((variant, v) =>
        {
            var median = Median(times[v]);
            return new TrainStepTiming(GemmBenchmark.BackendName(variant.Backend), SplitName(variant.Split), median,
                batch / (median / 1000.0), times[v]);
        }).ToList();
        return new TrainStepReport(timings, ProcessMemory.PeakResidentMb(), BufferPool.AllocatedBytes / (1024.0 * 1024.0),
            parameters, firstLoss, lastLoss, Compute.Threads, ManagedGemm.Isa, dropout);
    }

    /// <summary>The name of a split on the command line and in reports.</summary>
    public static string SplitName(StepSplit split) => split == StepSplit.Samples ? "samples" : "operations";

    /// <summary>Samples per shard for a split: the operations split makes the whole batch one shard.</summary>
    private static int SamplesPerShard(StepSplit split) => split == StepSplit.Samples ? DataParallel.SamplesPerShard : int.MaxValue;

    /// <summary>One step of the generic encoder-decoder on a fixed random batch: forward, cross-entropy, backward, AdamW.</summary>
    private static (Func<StepSplit, float> Step, long Parameters, float Dropout) Seq2SeqStep(TrainStepOptions options)
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
        return (split =>
        {
            var loss = DataParallel.Backward(optimizer.Parameters, batch, rng, (start, count) =>
                Ops.CrossEntropy(model.Forward(encoderIds.AsSpan(start * te, count * te), decoderIds.AsSpan(start * td, count * td), count),
                    targets.AsSpan(start * td, count * td)), SamplesPerShard(split));
            optimizer.Step();
            optimizer.ZeroGrad();
            return loss;
        }, model.ParameterCount, shape.Layer.Dropout);
    }

    /// <summary>Catalogue of the Mender and SASRec steps: the Beauty dataset's size (with synthetic SIDs, 3 × 256 codes and a collision code, for Mender).</summary>
    private const int MenderItems = 12_101;

    /// <summary>
    /// One step of the Mender model as its trainer runs it: a fresh batch of histories (1 to 20 random items) and target
    /// SIDs, forward, cross-entropy, backward, gradient clipping at 1, AdamW.
    /// </summary>
    private static (Func<StepSplit, float> Step, long Parameters, float Dropout) MenderModelStep(TrainStepOptions options)
    {
        var preset = options.Model == TrainStepModel.MenderCpu ? MenderModelConfig.Cpu : MenderModelConfig.Paper;
        var sids = RecommendLatencyBenchmark.SyntheticSids(MenderItems, options.Seed);
        var config = preset with
        {
            Mode = MenderMode.Tiger, CodebookSizes = sids.CodebookSizes.ToArray(), MaxHistory = 20, Seed = options.Seed,
            Dropout = options.Dropout ? preset.Dropout : 0f,
        };
        var model = new MenderModel(config);
        model.Train();
        var optimizer = new AdamW(model.Parameters(), learningRate: 1e-3f, weightDecay: 0.01f, decays: AdamW.MatricesOnly);
        var steps = options.Splits.Distinct().ToDictionary(split => split,
            split => new MenderStep(model, optimizer, sids, null, clipNorm: 1f) { SamplesPerShard = SamplesPerShard(split) });
        var data = new Rng(options.Seed + 1);
        return (split =>
        {
            var batch = new TrainingSample[options.Batch];
            for (var r = 0; r < batch.Length; r++)
                batch[r] = new TrainingSample(0, RandomIds(data, 1 + data.NextInt(config.MaxHistory), MenderItems), data.NextInt(MenderItems));
            return steps[split].Take(batch);
        }, model.ParameterCount, config.Dropout);
    }

    /// <summary>
    /// One step of SASRec as its trainer runs it: a fresh batch of sequences (2 to the model's length plus one random
    /// items), forward, full-softmax cross-entropy at every position, backward, Adam.
    /// </summary>
    private static (Func<StepSplit, float> Step, long Parameters, float Dropout) SasRecModelStep(TrainStepOptions options)
    {
        var defaults = new SasRecConfig();
        var config = defaults with { Items = MenderItems, Seed = options.Seed, Dropout = options.Dropout ? defaults.Dropout : 0f };
        var model = new SasRecModel(config);
        model.Train();
        var optimizer = SasRecStep.NewOptimizer(model);
        var steps = options.Splits.Distinct().ToDictionary(split => split,
            split => new SasRecStep(model, optimizer) { SamplesPerShard = SamplesPerShard(split) });
        var data = new Rng(options.Seed + 1);
        return (split =>
        {
            var batch = new int[options.Batch][];
            for (var r = 0; r < batch.Length; r++) batch[r] = RandomIds(data, 2 + data.NextInt(config.MaxLength), MenderItems);
            return steps[split].Take(batch);
        }, model.ParameterCount, config.Dropout);
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
