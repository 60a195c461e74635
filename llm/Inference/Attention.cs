using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Mender.Llm.Kernels;

namespace Mender.Llm.Inference;

/// <summary>
/// Causal multi-head attention with grouped KV heads over the KV cache: for each token of a batch and each query head,
/// softmax(q·Kᵀ/√d)·V over its own sequence's positions 0..pos. Tokens × heads are shared out over the pool.
/// </summary>
internal sealed unsafe class Attention : ParallelJob, IDisposable
{
    private readonly int _heads;
    private readonly int _headDimension;
    private readonly int _group;
    private readonly int _queryLength;
    private readonly int _kvLength;
    private readonly float _scale;
    private readonly float*[] _scores;
    private KvCache? _cache;
    private int _layer;
    private float* _q;
    private float* _output;
    private int _tokens;
    private int* _positions;
    private int* _sequences;
    private int _next;

    public Attention(ModelConfig config, int capacity, int workers)
    {
        _heads = config.HeadCount;
        _headDimension = config.HeadDimension;
        _group = config.HeadCount / config.KvHeadCount;
        _queryLength = config.QueryLength;
        _kvLength = config.KvLength;
        _scale = 1f / MathF.Sqrt(config.HeadDimension);
        _scores = new float*[workers];
        for (var i = 0; i < workers; i++)
            _scores[i] = (float*)NativeMemory.Alloc((nuint)(capacity * sizeof(float)));
    }

    /// <summary>
    /// Attention output for <paramref name="tokens"/> query rows; the batch's keys and values must already be in the
    /// cache at their positions.
    /// </summary>
    public void Run(WorkerPool pool, KvCache cache, int layer, float* q, float* output, int tokens, int* positions, int* sequences)
    {
        _cache = cache;
        _layer = layer;
        _q = q;
        _output = output;
        _tokens = tokens;
        _positions = positions;
        _sequences = sequences;
        _next = 0;
        pool.Run(this);
        _cache = null;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Execute(int worker, int workers)
    {
        var scores = _scores[worker];
        var items = _tokens * _heads;
        var hd = _headDimension;
        var avx512 = KernelPaths.Current == SimdPath.Avx512;
        for (var item = Interlocked.Increment(ref _next) - 1; item < items; item = Interlocked.Increment(ref _next) - 1)
        {
            var t = item / _heads;
            var h = item % _heads;
            var kvHead = h / _group;
            var sequence = _sequences[t];
            var count = _positions[t] + 1;
            var q = _q + (long)t * _queryLength + h * hd;
            var keys = _cache!.Keys(_layer, sequence) + kvHead * hd;
            var values = _cache.Values(_layer, sequence) + kvHead * hd;

            for (var j = 0; j < count; j++)
                scores[j] = Dot(q, keys + (long)j * _kvLength, hd, avx512) * _scale;
            var span = new Span<float>(scores, count);
            var max = TensorPrimitives.Max(span);
            TensorPrimitives.Subtract(span, max, span);
            TensorPrimitives.Exp(span, span);
            var inverse = 1f / TensorPrimitives.Sum(span);

            var output = _output + (long)t * _queryLength + h * hd;
            new Span<float>(output, hd).Clear();
            for (var j = 0; j < count; j++)
                AddScaled(output, values + (long)j * _kvLength, scores[j] * inverse, hd, avx512);
        }
    }

    private static float Dot(float* a, float* b, int n, bool avx512)
    {
        var i = 0;
        var sum = 0f;
        if (avx512 && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16)
                acc = Vector512.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), acc);
            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && KernelPaths.Current != SimdPath.Scalar && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8)
                acc = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), acc);
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    private static void AddScaled(float* y, float* x, float a, int n, bool avx512)
    {
        var i = 0;
        if (avx512)
        {
            var va = Vector512.Create(a);
            for (; i + 16 <= n; i += 16)
                Vector512.FusedMultiplyAdd(va, Vector512.Load(x + i), Vector512.Load(y + i)).Store(y + i);
        }
        else if (Vector256.IsHardwareAccelerated && KernelPaths.Current != SimdPath.Scalar)
        {
            var va = Vector256.Create(a);
            for (; i + 8 <= n; i += 8)
                Vector256.FusedMultiplyAdd(va, Vector256.Load(x + i), Vector256.Load(y + i)).Store(y + i);
        }
        for (; i < n; i++) y[i] += a * x[i];
    }

    public void Dispose()
    {
        for (var i = 0; i < _scores.Length; i++)
        {
            NativeMemory.Free(_scores[i]);
            _scores[i] = null;
        }
    }
}
