namespace Mender.Numerics.Kernels;

/// <summary>Which matrix-multiply implementation the engine uses.</summary>
public enum GemmBackend
{
    /// <summary>OpenBLAS when the native library loads, the managed kernel otherwise.</summary>
    Auto,
    /// <summary>The managed kernel, always; needs no native library.</summary>
    Managed,
    /// <summary>OpenBLAS; fails when the native library does not load.</summary>
    OpenBlas,
}

/// <summary>
/// Process-wide compute settings: how many threads kernels may use and which GEMM backs matrix products.
/// Set once at start-up (the CLI's --threads); kernels read them on every call.
/// </summary>
public static class Compute
{
    private static int threads = Math.Max(1, Environment.ProcessorCount);
    private static GemmBackend backend = GemmBackend.Auto;

    // Set while this thread runs one of several jobs that share the threads (data-parallel shards).
    [ThreadStatic] private static int limit;
    [ThreadStatic] private static ParallelOptions? limitedOptions;

    /// <summary>
    /// Worker threads for kernels, including OpenBLAS calls, which are split across them (at least 1). Reading it on a
    /// thread that runs under <see cref="Limit"/> gives that thread's share.
    /// </summary>
    public static int Threads
    {
        get => limit > 0 ? Math.Min(limit, threads) : threads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            threads = value;
            options = new ParallelOptions { MaxDegreeOfParallelism = value };
        }
    }

    /// <summary>The GEMM backend; asking for OpenBLAS when it cannot load is an error.</summary>
    public static GemmBackend Gemm
    {
        get => backend;
        set
        {
            if (value == GemmBackend.OpenBlas && !OpenBlas.IsAvailable)
                throw new NotSupportedException("OpenBLAS is not installed (looked for libopenblas.so.0); install libopenblas0-pthread or use the managed GEMM");
            backend = value;
        }
    }

    /// <summary>The backend a GEMM call actually takes.</summary>
    public static GemmBackend EffectiveGemm =>
        backend == GemmBackend.Managed || !OpenBlas.IsAvailable ? GemmBackend.Managed : GemmBackend.OpenBlas;

    private static ParallelOptions options = new() { MaxDegreeOfParallelism = threads };

    private static ParallelOptions Options => limit > 0 ? limitedOptions! : options;

    /// <summary>
    /// Kernels on the calling thread use at most <paramref name="count"/> threads until the scope is disposed: the
    /// share of one of several jobs running at once, which would otherwise each split their work across all threads.
    /// </summary>
    internal static ThreadLimit Limit(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var scope = new ThreadLimit(limit, limitedOptions);
        limit = count;
        limitedOptions = new ParallelOptions { MaxDegreeOfParallelism = count };
        return scope;
    }

    /// <summary>Restores the enclosing limit of the thread.</summary>
    internal readonly struct ThreadLimit(int previous, ParallelOptions? previousOptions) : IDisposable
    {
        public void Dispose()
        {
            limit = previous;
            limitedOptions = previousOptions;
        }
    }

    /// <summary>
    /// Multiply-adds below which a kernel runs on the calling thread: about 50–100 µs of one core's work, which a
    /// fork/join (waking a pool thread, then waiting for the slower half) costs as much as it saves, and far more when
    /// the other core is busy. Small products, such as one user's beam search, stay single-threaded.
    /// </summary>
    internal const long SerialWork = 1L << 22;

    /// <summary>Runs body(i) for i in [0, count) on up to <see cref="Threads"/> threads; inline when one suffices.</summary>
    internal static void For(int count, Action<int> body)
    {
        if (count <= 0) return;
        if (count == 1 || Threads == 1)
        {
            for (var i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, Options, body);
    }

    /// <summary>As <see cref="For(int, Action{int})"/>, but inline when the whole loop's <paramref name="work"/> (multiply-adds) is below <see cref="SerialWork"/>.</summary>
    internal static void For(int count, long work, Action<int> body)
    {
        if (work < SerialWork)
        {
            for (var i = 0; i < count; i++) body(i);
            return;
        }
        For(count, body);
    }

    /// <summary>
    /// Splits [0, total) into chunks of whole multiples of <paramref name="grain"/> and runs body(start, end) on each.
    /// Chunk boundaries depend only on total and grain, never on the thread count, so results are reproducible.
    /// </summary>
    public static void ForRange(int total, int grain, Action<int, int> body)
    {
        if (total <= 0) return;
        var chunks = (total + grain - 1) / grain;
        if (chunks == 1 || Threads == 1)
        {
            for (var c = 0; c < chunks; c++) body(c * grain, Math.Min(total, (c + 1) * grain));
            return;
        }
        Parallel.For(0, chunks, Options, c => body(c * grain, Math.Min(total, (c + 1) * grain)));
    }
}
