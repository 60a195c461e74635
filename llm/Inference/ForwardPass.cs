using System.Runtime.InteropServices;
using Mender.Llm.Kernels;

namespace Mender.Llm.Inference;

/// <summary>
/// The workspace of one batch going through the blocks: the residual stream and intermediate activations (one row per
/// token), the tokens' positions and sequences, and the block operations the architectures compose. Buffers are sized
/// for the largest batch once; nothing here allocates per call.
/// </summary>
internal sealed unsafe class ForwardPass : IDisposable
{
    private readonly ModelConfig _config;
    private readonly WorkerPool _pool;
    private readonly MatMul _matmul;
    private readonly KvCache _cache;
    private readonly RopeTable _rope;
    private readonly Attention _attention;
    private readonly SwiGluFeedForward _feedForward;
    private readonly Projection[] _projections = new Projection[3];
    private readonly List<nint> _allocations = [];

    public ForwardPass(ModelConfig config, WorkerPool pool, KvCache cache, RopeTable rope, int maxTokens)
    {
        _config = config;
        _pool = pool;
        _cache = cache;
        _rope = rope;
        MaxTokens = maxTokens;
        var narrow = Math.Max(config.EmbeddingLength, config.QueryLength);
        var widest = Math.Max(narrow, config.FeedForwardLength);
        var elements = Math.Max((long)maxTokens * narrow, SwiGluFeedForward.MaxActivations(config, maxTokens));
        _matmul = new MatMul(pool, maxTokens, widest, elements);
        _feedForward = new SwiGluFeedForward(config, _matmul, maxTokens);
        _attention = new Attention(config, cache.Capacity, pool.Threads);
        X = Alloc(config.EmbeddingLength);
        Normed = Alloc(config.EmbeddingLength);
        Q = Alloc(config.QueryLength);
        K = Alloc(config.KvLength);
        V = Alloc(config.KvLength);
        Attended = Alloc(config.QueryLength);
        Positions = (int*)NativeMemory.Alloc((nuint)(maxTokens * sizeof(int)));
        Sequences = (int*)NativeMemory.Alloc((nuint)(maxTokens * sizeof(int)));
    }

    public int MaxTokens { get; }

    /// <summary>Tokens in the current batch.</summary>
    public int Tokens { get; set; }

    /// <summary>The residual stream, Tokens × n_embd.</summary>
    public float* X { get; }

    public float* Normed { get; }
    public float* Q { get; }
    public float* K { get; }
    public float* V { get; }
    public float* Attended { get; }
    public int* Positions { get; }
    public int* Sequences { get; }

    public MatMul MatMul => _matmul;

    public void RmsNorm(float* x, float[] weight, float* y) =>
        Inference.RmsNorm.Rows(x, ModelTensors.Pointer(weight), y, Tokens, _config.EmbeddingLength, _config.RmsEpsilon);

    /// <summary>y = x·Wᵀ (+ bias) for the batch.</summary>
    public void Project(float* x, WeightMatrix w, float* y, float[]? bias = null) =>
        _matmul.Multiply(x, Tokens, w, y, ModelTensors.Pointer(bias));

    /// <summary>The query, key and value projections of x, in one pass over the threads.</summary>
    public void ProjectQkv(float* x, LayerWeights w)
    {
        _projections[0] = new Projection(w.Query, Q, ModelTensors.Pointer(w.QueryBias));
        _projections[1] = new Projection(w.Key, K, ModelTensors.Pointer(w.KeyBias));
        _projections[2] = new Projection(w.Value, V, ModelTensors.Pointer(w.ValueBias));
        _matmul.Multiply(x, Tokens, _projections);
    }

    /// <summary>RMSNorm of each head of Q and K over the head dimension (qwen3's q/k-norm).</summary>
    public void NormalizeHeads(float[] queryNorm, float[] keyNorm)
    {
        var hd = _config.HeadDimension;
        var eps = _config.RmsEpsilon;
        Inference.RmsNorm.Rows(Q, ModelTensors.Pointer(queryNorm), Q, Tokens * _config.HeadCount, hd, eps);
        Inference.RmsNorm.Rows(K, ModelTensors.Pointer(keyNorm), K, Tokens * _config.KvHeadCount, hd, eps);
    }

    /// <summary>Rotates every head of Q and K by its token's position.</summary>
    public void Rope()
    {
        for (var t = 0; t < Tokens; t++)
        {
            _rope.Apply(Q + (long)t * _config.QueryLength, _config.HeadCount, _config.HeadDimension, Positions[t]);
            _rope.Apply(K + (long)t * _config.KvLength, _config.KvHeadCount, _config.HeadDimension, Positions[t]);
        }
    }

    /// <summary>Stores the batch's K and V in the cache, then attends: Attended = attention(Q, cache).</summary>
    public void Attention(int layer)
    {
        var kv = _config.KvLength;
        for (var t = 0; t < Tokens; t++)
        {
            var at = (long)Positions[t] * kv;
            new ReadOnlySpan<float>(K + (long)t * kv, kv).CopyTo(new Span<float>(_cache.Keys(layer, Sequences[t]) + at, kv));
            new ReadOnlySpan<float>(V + (long)t * kv, kv).CopyTo(new Span<float>(_cache.Values(layer, Sequences[t]) + at, kv));
        }
        _attention.Run(_pool, _cache, layer, Q, Attended, Tokens, Positions, Sequences);
    }

    /// <summary>X += delta.</summary>
    public void AddToResidual(float* delta)
    {
        var n = Tokens * _config.EmbeddingLength;
        System.Numerics.Tensors.TensorPrimitives.Add(new ReadOnlySpan<float>(X, n), new ReadOnlySpan<float>(delta, n), new Span<float>(X, n));
    }

    /// <summary>The feed-forward block with its pre-norm and residual: X += FFN(RMSNorm(X)).</summary>
    public void FeedForward(LayerWeights w)
    {
        RmsNorm(X, w.FeedForwardNorm, Normed);
        _feedForward.Apply(Normed, Tokens, w, Normed);
        AddToResidual(Normed);
    }

    private float* Alloc(int width)
    {
        var p = (float*)NativeMemory.AlignedAlloc((nuint)((long)MaxTokens * width * sizeof(float)), 64);
        _allocations.Add((nint)p);
        return p;
    }

    public void Dispose()
    {
        _feedForward.Dispose();
        _matmul.Dispose();
        _attention.Dispose();
        foreach (var p in _allocations) NativeMemory.AlignedFree((void*)p);
        _allocations.Clear();
        NativeMemory.Free(Positions);
        NativeMemory.Free(Sequences);
    }
}
