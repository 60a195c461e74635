using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Mender.Llm.Kernels;

/// <summary>
/// Multiplies activations (tokens × columns, row-major) with up to three weight matrices that share them (Q/K/V, or
/// gate/up), on all threads of a pool. Few tokens (decoding): each thread streams its share of the weight rows once and
/// dots every row with all tokens straight from the stored blocks. Many tokens (prompts): the activations are
/// transposed once, and each thread dequantizes 6-row panels of weights, 256 columns at a time, into a small float
/// buffer that stays in L1 and serves every token through the register-blocked tiles of <see cref="GemmKernels"/>.
/// All scratch is allocated up front.
/// </summary>
internal sealed unsafe class MatMul : IDisposable
{
    /// <summary>From this many tokens on, the tiled path is used (on AVX2 and AVX-512).</summary>
    public const int TiledMinTokens = 16;

    private const int ColumnBlock = 256;
    private const int TokenBlock = 256;
    private const int PanelsPerItem = 8;
    private const int DotRowsPerItem = 16;
    private const int PackColumns = 64;

    private readonly WorkerPool _pool;
    private readonly int _maxTokens;
    private readonly int _maxColumns;
    private readonly long _maxElements;
    private readonly float* _xt;
    private readonly float*[] _panel;
    private readonly float*[] _tile;
    private readonly float*[] _tile2;
    private readonly Job _job;
    private readonly Projection[] _single = new Projection[1];
    private readonly Projection[] _pair = new Projection[2];
    private bool _disposed;

    /// <summary>
    /// Takes up to <paramref name="maxTokens"/> rows of up to <paramref name="maxColumns"/> columns, with at most
    /// <paramref name="maxElements"/> activations per call (default: both maxima at once).
    /// </summary>
    public MatMul(WorkerPool pool, int maxTokens, int maxColumns, long maxElements = 0)
    {
        _pool = pool;
        _maxTokens = maxTokens;
        _maxColumns = maxColumns;
        _maxElements = maxElements > 0 ? maxElements : (long)maxTokens * maxColumns;
        _xt = maxTokens >= TiledMinTokens ? Alloc(Math.Min((long)RoundUp(maxTokens, 16) * maxColumns, _maxElements + 15L * maxColumns)) : null;
        _panel = new float*[pool.Threads];
        _tile = new float*[pool.Threads];
        _tile2 = new float*[pool.Threads];
        for (var i = 0; i < pool.Threads; i++)
        {
            _panel[i] = Alloc((long)GemmKernels.Rows512 * ColumnBlock);
            _tile[i] = Alloc((long)GemmKernels.Rows512 * PanelsPerItem * TokenBlock);
            _tile2[i] = Alloc((long)GemmKernels.Rows512 * PanelsPerItem * TokenBlock);
        }
        _job = new Job(this);
    }

    /// <summary>y = x·Wᵀ (+ bias) for <paramref name="tokens"/> rows of x.</summary>
    public void Multiply(float* x, int tokens, WeightMatrix weights, float* y, float* bias = null)
    {
        _single[0] = new Projection(weights, y, bias);
        Multiply(x, tokens, _single);
    }

    /// <summary>
    /// The gated unit of a SwiGLU feed-forward block in one pass: gateOutput = silu(x·Wgateᵀ) ⊙ (x·Wupᵀ). Each share of
    /// rows is computed for both matrices and combined while it is still in cache; <paramref name="upOutput"/> is
    /// scratch of the same size.
    /// </summary>
    public void MultiplyGated(float* x, int tokens, WeightMatrix gate, WeightMatrix up, float* gateOutput, float* upOutput)
    {
        if (gate.Rows != up.Rows)
            throw new ArgumentException($"'{gate.Name}' has {gate.Rows} rows but '{up.Name}' {up.Rows}");
        _pair[0] = new Projection(gate, gateOutput);
        _pair[1] = new Projection(up, upOutput);
        Multiply(x, tokens, _pair, gated: true);
    }

    /// <summary>Every projection of <paramref name="projections"/> applied to the same x, in one parallel pass.</summary>
    public void Multiply(float* x, int tokens, ReadOnlySpan<Projection> projections) => Multiply(x, tokens, projections, gated: false);

    private void Multiply(float* x, int tokens, ReadOnlySpan<Projection> projections, bool gated)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (projections.Length is < 1 or > Job.MaxProjections)
            throw new ArgumentException($"between 1 and {Job.MaxProjections} projections per call", nameof(projections));
        if (tokens < 1 || tokens > _maxTokens)
            throw new ArgumentOutOfRangeException(nameof(tokens), tokens, $"this multiplier takes 1 to {_maxTokens} tokens");
        var columns = projections[0].Weights.Columns;
        foreach (var p in projections)
            if (p.Weights.Columns != columns)
                throw new ArgumentException($"'{p.Weights.Name}' has {p.Weights.Columns} columns, '{projections[0].Weights.Name}' {columns}");
        if (columns > _maxColumns)
            throw new ArgumentException($"'{projections[0].Weights.Name}' has {columns} columns, this multiplier takes up to {_maxColumns}");
        if ((long)tokens * columns > _maxElements)
            throw new ArgumentException($"{tokens} tokens of {columns} columns exceed this multiplier's {_maxElements} activations");

        var path = KernelPaths.Current;
        var tiled = tokens >= TiledMinTokens && path != SimdPath.Scalar;
        _job.Prepare(x, tokens, columns, projections, path, tiled, gated);
        if (tiled)
        {
            _job.Start(Job.Stage.Transpose);
            _pool.Run(_job);
            _job.Start(Job.Stage.Tiles);
        }
        else
        {
            _job.Start(Job.Stage.Dots);
        }
        _pool.Run(_job);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        NativeMemory.AlignedFree(_xt);
        for (var i = 0; i < _panel.Length; i++)
        {
            NativeMemory.AlignedFree(_panel[i]);
            NativeMemory.AlignedFree(_tile[i]);
            NativeMemory.AlignedFree(_tile2[i]);
            _panel[i] = _tile[i] = _tile2[i] = null;
        }
    }

    private static int RoundUp(int n, int multiple) => (n + multiple - 1) / multiple * multiple;

    private static float* Alloc(long floats) => (float*)NativeMemory.AlignedAlloc((nuint)(floats * sizeof(float)), 64);

    private sealed class Job(MatMul owner) : ParallelJob
    {
        public const int MaxProjections = 3;

        public enum Stage { Dots, Transpose, Tiles }

        private readonly Projection[] _projections = new Projection[MaxProjections];
        private readonly FormatKernels[] _kernels = new FormatKernels[MaxProjections];
        private readonly int[] _firstItem = new int[MaxProjections + 1];
        private float* _x;
        private int _tokens;
        private int _columns;
        private int _count;
        private int _rowsPerItem;
        private SimdPath _path;
        private bool _gated;
        private int _next;

        private Stage _stage;

        public void Prepare(float* x, int tokens, int columns, ReadOnlySpan<Projection> projections, SimdPath path, bool tiled, bool gated)
        {
            _x = x;
            _tokens = tokens;
            _columns = columns;
            _count = projections.Length;
            _path = path;
            _gated = gated;
            var tileRows = path == SimdPath.Avx512 ? GemmKernels.Rows512 : GemmKernels.Rows256;
            _rowsPerItem = tiled ? tileRows * PanelsPerItem : DotRowsPerItem;
            _firstItem[0] = 0;
            for (var i = 0; i < _count; i++)
            {
                _projections[i] = projections[i];
                _kernels[i] = FormatKernels.For(projections[i].Weights.Type, path);
                _firstItem[i + 1] = _firstItem[i] + (projections[i].Weights.Rows + _rowsPerItem - 1) / _rowsPerItem;
            }
            // Gated: the items walk the gate's rows and each also computes the same rows of the up matrix.
            if (gated) _firstItem[2] = _firstItem[1];
        }

        /// <summary>Called on the calling thread before each run; the pool's hand-off publishes it to the workers.</summary>
        public void Start(Stage stage)
        {
            _stage = stage;
            _next = 0;
        }

        public override void Execute(int worker, int workers)
        {
            switch (_stage)
            {
                case Stage.Transpose: Transpose(); break;
                case Stage.Tiles: Tiles(worker); break;
                default: Dots(); break;
            }
        }

        private int TakeItem() => Interlocked.Increment(ref _next) - 1;

        // The work loops below run a few times per token but iterate thousands of times each: they are compiled fully
        // optimized at once rather than starting in tier-0 code.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Dots()
        {
            var xs = stackalloc float*[8];
            var sums = stackalloc float[8];
            var items = _firstItem[_count];
            for (var item = TakeItem(); item < items; item = TakeItem())
            {
                var p = 0;
                while (item >= _firstItem[p + 1]) p++;
                var rows = _projections[p].Weights.Rows;
                var first = (item - _firstItem[p]) * _rowsPerItem;
                var last = Math.Min(rows, first + _rowsPerItem);
                DotRows(p, first, last, xs, sums);
                if (!_gated) continue;
                DotRows(1, first, last, xs, sums);
                for (var t = 0; t < _tokens; t++)
                {
                    var offset = (long)t * rows + first;
                    SwiGlu(_projections[0].Output + offset, _projections[1].Output + offset, last - first);
                }
            }
        }

        private void DotRows(int p, int first, int last, float** xs, float* sums)
        {
            int tokens = _tokens, columns = _columns;
            var projection = _projections[p];
            var kernels = _kernels[p];
            var w = projection.Weights;
            var rows = w.Rows;
            var y = projection.Output;
            var bias = projection.Bias;
            for (var r = first; r < last; r++)
            {
                var row = w.Row(r);
                var b = bias is null ? 0f : bias[r];
                if (tokens == 1)
                {
                    y[r] = kernels.Dot1(row, _x, columns) + b;
                    continue;
                }
                for (var t0 = 0; t0 < tokens; t0 += 8)
                {
                    var n = Math.Min(8, tokens - t0);
                    // Short groups repeat their last token, so the 4- and 8-wide kernels always have real rows to read.
                    for (var t = 0; t < 8; t++) xs[t] = _x + (long)(t0 + Math.Min(t, n - 1)) * columns;
                    if (n <= 4) kernels.Dot4(row, columns, xs, sums);
                    else kernels.Dot8(row, columns, xs, sums);
                    for (var t = 0; t < n; t++) y[(long)(t0 + t) * rows + r] = sums[t] + b;
                }
            }
        }

        /// <summary>gate ← silu(gate)·up = gate·σ(gate)·up over <paramref name="n"/> elements.</summary>
        private static void SwiGlu(float* gate, float* up, int n)
        {
            var g = new Span<float>(gate, n);
            var u = new Span<float>(up, n);
            TensorPrimitives.Multiply(u, g, u);
            TensorPrimitives.Sigmoid(g, g);
            TensorPrimitives.Multiply(g, u, g);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Transpose()
        {
            int tokens = _tokens, columns = _columns;
            var padded = RoundUp(tokens, 16);
            var xt = owner._xt;
            var blocks = (columns + PackColumns - 1) / PackColumns;
            for (var block = TakeItem(); block < blocks; block = TakeItem())
            {
                var k0 = block * PackColumns;
                var k1 = Math.Min(columns, k0 + PackColumns);
                for (var t0 = 0; t0 < padded; t0 += 16)
                {
                    var t1 = Math.Min(tokens, t0 + 16);
                    for (var k = k0; k < k1; k++)
                    {
                        var dst = xt + (long)k * padded + t0;
                        var src = _x + (long)t0 * columns + k;
                        var t = t0;
                        for (; t < t1; t++, src += columns) dst[t - t0] = *src;
                        for (; t < t0 + 16; t++) dst[t - t0] = 0;
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Tiles(int worker)
        {
            var tile = owner._tile[worker];
            var tile2 = owner._tile2[worker];
            var padded = RoundUp(_tokens, 16);
            var items = _firstItem[_count];
            for (var item = TakeItem(); item < items; item = TakeItem())
            {
                var p = 0;
                while (item >= _firstItem[p + 1]) p++;
                var projection = _projections[p];
                var rows = projection.Weights.Rows;
                var first = (item - _firstItem[p]) * _rowsPerItem;
                var last = Math.Min(rows, first + _rowsPerItem);
                for (var t0 = 0; t0 < padded; t0 += TokenBlock)
                {
                    var tcount = Math.Min(TokenBlock, padded - t0);
                    TileRows(p, worker, first, last, t0, tcount, tile);
                    if (_gated)
                    {
                        TileRows(1, worker, first, last, t0, tcount, tile2);
                        for (var r = 0; r < last - first; r++)
                            SwiGlu(tile + (long)r * TokenBlock, tile2 + (long)r * TokenBlock, tcount);
                    }
                    var y = projection.Output;
                    var bias = projection.Bias;
                    var tEnd = Math.Min(_tokens, t0 + tcount);
                    for (var t = t0; t < tEnd; t++)
                    {
                        var dst = y + (long)t * rows;
                        var src = tile + (t - t0);
                        for (var r = first; r < last; r++)
                            dst[r] = src[(long)(r - first) * TokenBlock] + (bias is null ? 0f : bias[r]);
                    }
                }
            }
        }

        /// <summary>Rows [first, last) of projection p for tokens [t0, t0+tcount) into c (row-major, TokenBlock per row).</summary>
        private void TileRows(int p, int worker, int first, int last, int t0, int tcount, float* c)
        {
            var avx512 = _path == SimdPath.Avx512;
            var tileRows = avx512 ? GemmKernels.Rows512 : GemmKernels.Rows256;
            var panel = owner._panel[worker];
            var columns = _columns;
            var padded = RoundUp(_tokens, 16);
            var xt = owner._xt;
            var dequantize = _kernels[p].Dequantize;
            var w = _projections[p].Weights;
            for (var k0 = 0; k0 < columns; k0 += ColumnBlock)
            {
                var kc = Math.Min(ColumnBlock, columns - k0);
                var accumulate = k0 > 0;
                for (var r0 = first; r0 < last; r0 += tileRows)
                {
                    for (var i = 0; i < tileRows; i++)
                    {
                        var dst = panel + i * kc;
                        if (r0 + i < last) dequantize(w.Row(r0 + i), k0, kc, dst);
                        else new Span<float>(dst, kc).Clear();
                    }
                    var ct = c + (long)(r0 - first) * TokenBlock;
                    var x = xt + (long)k0 * padded + t0;
                    var t = 0;
                    if (avx512)
                    {
                        for (; t + 64 <= tcount; t += 64)
                            GemmKernels.Tile6x64(panel, kc, x + t, padded, kc, ct + t, TokenBlock, accumulate);
                        for (; t < tcount; t += 16)
                            GemmKernels.Tile6x16(panel, kc, x + t, padded, kc, ct + t, TokenBlock, accumulate);
                    }
                    else
                    {
                        for (; t < tcount; t += 16)
                            GemmKernels.Tile4x16(panel, kc, x + t, padded, kc, ct + t, TokenBlock, accumulate);
                    }
                }
            }
        }
    }
}
