using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>
/// Multi-head attention with heads × headDim inner width, independent of the model width. Self-attention uses
/// one packed projection (qkv); cross-attention projects queries from x and a packed key/value pair from the
/// memory (whose width may differ). Dropout applies to the attention weights in training mode. The result is
/// projected back to the model width; residual and output dropout belong to the enclosing layer.
/// </summary>
public sealed class MultiHeadAttention : Module
{
    private readonly Rng rng;

    /// <summary>Self-attention with packed query/key/value projections, or cross-attention over a memory of its own width.</summary>
    public MultiHeadAttention(int modelDim, int heads, int headDim, Rng rng, bool cross = false, int? memoryDim = null,
        float dropout = 0f, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(headDim, 1);
        this.rng = rng;
        Heads = heads;
        HeadDim = headDim;
        IsCross = cross;
        Dropout = dropout;
        var inner = heads * headDim;
        if (cross)
        {
            Query = AddModule("q", new Linear(modelDim, inner, rng, bias));
            KeyValue = AddModule("kv", new Linear(memoryDim ?? modelDim, 2 * inner, rng, bias));
        }
        else
        {
            Packed = AddModule("qkv", new Linear(modelDim, 3 * inner, rng, bias));
        }
        Output = AddModule("out", new Linear(inner, modelDim, rng, bias));
    }

    /// <summary>The number of attention heads.</summary>
    public int Heads { get; }
    /// <summary>The width of each head.</summary>
    public int HeadDim { get; }
    /// <summary>True for cross-attention, whose keys and values come from a memory.</summary>
    public bool IsCross { get; }
    /// <summary>Dropout rate on the attention weights, in training mode.</summary>
    public float Dropout { get; }
    /// <summary>The packed query, key and value projection of self-attention; null for cross-attention.</summary>
    public Linear? Packed { get; }
    /// <summary>The query projection of cross-attention; null for self-attention.</summary>
    public Linear? Query { get; }
    /// <summary>The packed key and value projection of the memory in cross-attention; null for self-attention.</summary>
    public Linear? KeyValue { get; }
    /// <summary>The projection of the heads' concatenated output back to the model width.</summary>
    public Linear Output { get; }

    private float ActiveDropout => Training ? Dropout : 0f;

    /// <summary>Self-attention over x [B, T, model].</summary>
    public Tensor Forward(Tensor x, AttentionMask mask = default)
    {
        if (Packed is null) throw new InvalidOperationException("this is a cross-attention module: pass the memory");
        var qkv = Packed.Forward(x);
        return Output.Forward(Ops.SelfAttention(qkv, Heads, mask, ActiveDropout, rng));
    }

    /// <summary>
    /// One incremental decoding step of self-attention: x [rows, 1, model] is each row's newest position, which attends
    /// to the positions in <paramref name="cache"/> and to itself (so causality holds by construction) and joins the cache.
    /// Row r continues cached row <paramref name="parents"/>[r]; empty parents keep rows in place. Inference only.
    /// </summary>
    public Tensor Step(Tensor x, KeyValueCache cache, ReadOnlySpan<int> parents = default)
    {
        if (Packed is null) throw new InvalidOperationException("this is a cross-attention module: it has no self-attention cache");
        var qkv = Packed.Forward(x);
        cache.Append(qkv, parents);
        var q = Ops.Slice(qkv, 2, 0, Heads * HeadDim);
        return Output.Forward(Ops.Attention(q, cache.Keys!, cache.Values!, Heads));
    }

    /// <summary>
    /// Cross-attention from x [B, Tq, model] to memory [B, Tk, memory width]. When the queries are few against a
    /// long memory, the key/value projection is folded into the query side (<see cref="Ops.FoldedCrossAttention"/>),
    /// which gives the same result for a fraction of the work; otherwise the memory is projected as usual.
    /// </summary>
    public Tensor Forward(Tensor x, Tensor memory, AttentionMask mask = default)
    {
        if (Query is null || KeyValue is null) throw new InvalidOperationException("this is a self-attention module: it has no memory");
        if (!PrefersFolding(x.Dim(1), memory.Dim(1), memory.Dim(-1))) return Attend(x, ProjectMemory(memory), mask);
        var q = Query.Forward(x);
        return Output.Forward(Ops.FoldedCrossAttention(q, memory, KeyValue.Weight, KeyValue.Bias, Heads, mask, ActiveDropout, rng));
    }

    /// <summary>Multiply-adds per batch row: projecting the memory (2·Tk·m·inner) plus attention in head space, against attention in memory space.</summary>
    private bool PrefersFolding(int tq, int tk, int memoryWidth)
    {
        long inner = Heads * HeadDim;
        var projected = 2L * tk * memoryWidth * inner + 2L * tq * tk * inner;
        var folded = 2L * tq * inner * memoryWidth + 2L * tq * tk * memoryWidth * Heads;
        return folded < projected;
    }

    /// <summary>The packed key/value projection of a memory, reusable across decoding steps.</summary>
    public Tensor ProjectMemory(Tensor memory)
    {
        if (KeyValue is null) throw new InvalidOperationException("this is a self-attention module: it has no memory projection");
        return KeyValue.Forward(memory);
    }

    /// <summary>Cross-attention against an already projected memory (from <see cref="ProjectMemory"/>).</summary>
    public Tensor Attend(Tensor x, Tensor memoryKv, AttentionMask mask = default)
    {
        if (Query is null) throw new InvalidOperationException("this is a self-attention module: it has no memory");
        var q = Query.Forward(x);
        return Output.Forward(Ops.CrossAttention(q, memoryKv, Heads, mask, ActiveDropout, rng));
    }
}
