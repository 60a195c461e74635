using Mender.Numerics.Tensors;

namespace Mender.Numerics.Optim;

/// <summary>
/// Updates parameters from their accumulated gradients. Parameters whose gradient is unset (nothing reached them
/// since the last ZeroGrad) are skipped, as PyTorch skips a None gradient. The per-parameter state (moments,
/// accumulators, step counts) is exposed as named tensors for checkpoints.
/// </summary>
public abstract class Optimizer
{
    private readonly Tensor[] parameters;

    /// <summary>
    /// An optimizer over the parameters, starting at the given rate. With an <paramref name="averageDecay"/> in (0, 1)
    /// it also keeps an exponential moving average of each parameter (see <see cref="AverageDecay"/>).
    /// </summary>
    protected Optimizer(IEnumerable<Tensor> parameters, float learningRate, float averageDecay = 0)
    {
        this.parameters = parameters.ToArray();
        if (this.parameters.Length == 0) throw new ArgumentException("an optimizer needs at least one parameter");
        foreach (var p in this.parameters)
            if (!p.RequiresGrad) throw new ArgumentException($"parameter {p.Describe()} does not require gradients");
        if (!(averageDecay >= 0 && averageDecay < 1)) throw new ArgumentOutOfRangeException(nameof(averageDecay), averageDecay, "the average's decay must be in [0, 1)");
        LearningRate = learningRate;
        Steps = new long[this.parameters.Length];
        AverageDecay = averageDecay;
        if (averageDecay > 0)
        {
            averages = new float[this.parameters.Length][];
            for (var i = 0; i < averages.Length; i++) averages[i] = this.parameters[i].ToArray();
        }
    }

    private readonly float[][]? averages;

    /// <summary>
    /// The decay of the moving average of the weights, 0 when none is kept. After the t-th update of a parameter its
    /// average moves by 1 − min(decay, (1 + t) / (10 + t)) towards it, so that the first updates are not outweighed by
    /// the initial weights (TensorFlow's ExponentialMovingAverage with num_updates).
    /// </summary>
    public float AverageDecay { get; }

    /// <summary>The tensors the optimizer updates, in the order their state is kept.</summary>
    public IReadOnlyList<Tensor> Parameters => parameters;

    /// <summary>The rate the next <see cref="Step"/> uses (schedules set it before each step).</summary>
    public float LearningRate { get; set; }

    /// <summary>How many updates each parameter has received (bias corrections use it).</summary>
    protected long[] Steps { get; }

    /// <summary>Number of Step calls.</summary>
    public long StepCount { get; private set; }

    /// <summary>Elements per parallel chunk of an update: updates are elementwise, so any split gives the same result.</summary>
    private const int UpdateChunk = 1 << 16;

    /// <summary>Applies one update to every parameter that has a gradient.</summary>
    public void Step()
    {
        StepCount++;
        var work = new List<(int Index, int Start, int Length)>();
        for (var i = 0; i < parameters.Length; i++)
        {
            if (parameters[i].Grad is null) continue;
            Steps[i]++;
            for (var start = 0; start < parameters[i].Length; start += UpdateChunk)
                work.Add((i, start, Math.Min(UpdateChunk, parameters[i].Length - start)));
        }
        Kernels.Compute.For(work.Count, w =>
        {
            var (i, start, length) = work[w];
            var p = parameters[i].Span.Slice(start, length);
            Update(i, start, p, parameters[i].Grad!.Span.Slice(start, length));
            if (averages is not null) MoveAverage(averages[i].AsSpan(start, length), p, Steps[i]);
        });
    }

    private void MoveAverage(Span<float> average, ReadOnlySpan<float> p, long updates)
    {
        var keep = (float)Math.Min(AverageDecay, (1.0 + updates) / (10.0 + updates));
        System.Numerics.Tensors.TensorPrimitives.Lerp(average, p, 1 - keep, average);
    }

    /// <summary>
    /// Exchanges each parameter's values with its moving average; a second call restores them. Validation and
    /// checkpoints call it around reading the averaged weights, so that training goes on from its own.
    /// </summary>
    public void SwapAverages()
    {
        if (averages is null) throw new InvalidOperationException("this optimizer keeps no average of the weights (its average decay is 0)");
        for (var i = 0; i < parameters.Length; i++)
        {
            var values = parameters[i].Span;
            var average = averages[i].AsSpan();
            for (var j = 0; j < values.Length; j++) (values[j], average[j]) = (average[j], values[j]);
        }
    }

    /// <summary>Forgets every parameter's gradient (the next backward overwrites instead of adding).</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters) p.ZeroGrad();
    }

    /// <summary>
    /// Updates elements [offset, offset + p.Length) of parameter <paramref name="index"/> (values <paramref name="p"/>, gradient <paramref name="g"/>); the spans hold just
    /// that range. Ranges of one parameter may run concurrently, so state is touched only inside the range.
    /// </summary>
    protected abstract void Update(int index, int offset, Span<float> p, ReadOnlySpan<float> g);

    /// <summary>State tensors per parameter index, by name (for example "exp_avg").</summary>
    protected abstract IEnumerable<(string Name, float[][] Buffers)> StateBuffers();

    /// <summary>The optimizer state as named tensors ("3.exp_avg", "3.step", ...) for a checkpoint.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> State()
    {
        var state = new List<KeyValuePair<string, Tensor>>();
        for (var i = 0; i < parameters.Length; i++)
        {
            state.Add(new($"{i}.step", Tensor.FromArray([Steps[i]], 1)));
            foreach (var (name, buffers) in AllBuffers())
                state.Add(new($"{i}.{name}", Tensor.FromArray(buffers[i], parameters[i].ShapeArray)));
        }
        return state;
    }

    /// <summary>Restores state saved by <see cref="State"/>; names and shapes must match this optimizer's parameters.</summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> state, string source)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            Steps[i] = (long)Require(state, $"{i}.step", [1], source).Span[0];
            foreach (var (name, buffers) in AllBuffers())
                Require(state, $"{i}.{name}", parameters[i].ShapeArray, source).Span.CopyTo(buffers[i]);
        }
        var expected = parameters.Length * (1 + AllBuffers().Count());
        if (state.Count != expected)
            throw new InvalidDataException($"optimizer state in {source} has {state.Count} tensors, expected {expected} for {parameters.Length} parameters");
    }

    /// <summary>The subclass's state buffers and the moving average, when one is kept.</summary>
    private IEnumerable<(string Name, float[][] Buffers)> AllBuffers() =>
        averages is null ? StateBuffers() : StateBuffers().Append(("average", averages));

    private static Tensor Require(IReadOnlyDictionary<string, Tensor> state, string name, int[] shape, string source)
    {
        if (!state.TryGetValue(name, out var t))
            throw new InvalidDataException($"optimizer state in {source} lacks tensor '{name}'");
        if (!t.Shape.SequenceEqual(shape))
            throw new InvalidDataException($"optimizer state tensor '{name}' in {source} has shape {ShapeOps.Format(t.Shape)}, expected {ShapeOps.Format(shape)}");
        return t;
    }

    /// <summary>One zero-filled buffer per parameter.</summary>
    protected float[][] ZeroBuffers()
    {
        var buffers = new float[parameters.Length][];
        for (var i = 0; i < parameters.Length; i++) buffers[i] = new float[parameters[i].Length];
        return buffers;
    }
}
