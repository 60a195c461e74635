using System.Runtime.Intrinsics;
using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
    /// <summary>
    /// Scaled dot-product attention over heads, fused per (batch, head): softmax(scale·Q·Kᵀ + mask)·V with optional
    /// dropout on the attention weights. q is [B, Tq, H·dk], k is [B, Tk, H·dk], v is [B, Tk, H·dv]; the result is
    /// [B, Tq, H·dv] with heads side by side, ready for the output projection. Head sizes need not relate to the
    /// model width. Scale defaults to 1/√dk.
    /// </summary>
    public static Tensor Attention(Tensor q, Tensor k, Tensor v, int heads, AttentionMask mask = default,
        float dropout = 0f, Rng? rng = null, float? scale = null)
    {
        var (batch, tq, qWidth) = Dims3(q, "query");
        var (kb, tk, kWidth) = Dims3(k, "key");
        var (vb, vt, vWidth) = Dims3(v, "value");
        if (kb != batch || vb != batch || vt != tk || kWidth != qWidth)
            throw new ArgumentException($"attention shapes disagree: q {q.Describe()}, k {k.Describe()}, v {v.Describe()}");
        var dk = HeadSize(qWidth, heads, "query");
        var dv = HeadSize(vWidth, heads, "value");
        return AttentionCore(new(q, 0, qWidth, qWidth), new(k, 0, kWidth, kWidth), new(v, 0, vWidth, vWidth), batch, tq, tk, heads, dk, dv,
            mask, scale ?? 1f / MathF.Sqrt(dk), dropout, rng);
    }

    /// <summary>
    /// Self-attention reading queries, keys and values straight out of one packed projection qkv [B, T, 3·H·d]
    /// (columns [Q | K | V]), so the three never get copied apart.
    /// </summary>
    public static Tensor SelfAttention(Tensor qkv, int heads, AttentionMask mask = default, float dropout = 0f,
        Rng? rng = null, float? scale = null)
    {
        var (batch, t, width) = Dims3(qkv, "packed qkv");
        if (width % 3 != 0) throw new ArgumentException($"packed qkv {qkv.Describe()} is not three equal blocks");
        var d = HeadSize(width / 3, heads, "packed qkv");
        var inner = heads * d;
        return AttentionCore(new(qkv, 0, width, inner), new(qkv, inner, width, inner), new(qkv, 2 * inner, width, inner), batch, t, t, heads, d, d,
            mask, scale ?? 1f / MathF.Sqrt(d), dropout, rng);
    }

    /// <summary>Cross-attention with queries q [B, Tq, H·d] and a packed key/value projection kv [B, Tk, 2·H·d] (columns [K | V]).</summary>
    public static Tensor CrossAttention(Tensor q, Tensor kv, int heads, AttentionMask mask = default, float dropout = 0f,
        Rng? rng = null, float? scale = null)
    {
        var (batch, tq, qWidth) = Dims3(q, "query");
        var (kb, tk, kvWidth) = Dims3(kv, "packed kv");
        if (kb != batch || kvWidth != 2 * qWidth)
            throw new ArgumentException($"cross-attention shapes disagree: q {q.Describe()}, kv {kv.Describe()}");
        var d = HeadSize(qWidth, heads, "query");
        return AttentionCore(new(q, 0, qWidth, qWidth), new(kv, 0, kvWidth, qWidth), new(kv, qWidth, kvWidth, qWidth), batch, tq, tk, heads, d, d,
            mask, scale ?? 1f / MathF.Sqrt(d), dropout, rng);
    }

    private static (int Batch, int Length, int Width) Dims3(Tensor t, string what) =>
        t.Rank == 3 ? (t.Dim(0), t.Dim(1), t.Dim(2)) : throw new ArgumentException($"attention {what} must be [batch, length, width], got {t.Describe()}");

    private static int HeadSize(int width, int heads, string what)
    {
        if (heads < 1 || width % heads != 0) throw new ArgumentException($"{what} width {width} does not split into {heads} heads");
        return width / heads;
    }

    /// <summary>
    /// A matrix inside a tensor: rows of <paramref name="Stride"/> floats, this operand occupying columns
    /// [Column, Column + Width) of each.
    /// </summary>
    private readonly record struct Operand(Tensor Tensor, int Column, int Stride, int Width);

    [ThreadStatic] private static float[]? attentionScratch;

    private static float[] AttentionScratch(int length)
    {
        var s = attentionScratch;
        if (s is null || s.Length < length) attentionScratch = s = GC.AllocateUninitializedArray<float>(length, pinned: true);
        return s;
    }

    private static unsafe Tensor AttentionCore(Operand q, Operand k, Operand v, int batch, int tq, int tk, int heads, int dk, int dv,
        AttentionMask mask, float scale, float dropout, Rng? rng)
    {
        ValidateDropout(dropout);
        mask.Validate(batch, tk);
        var drop = dropout > 0 && rng is not null;
        var key = drop ? Shard.DropoutKey(rng!) : 0UL;
        var threshold = DropoutKernel.Threshold(dropout);
        var keepScale = drop ? DropoutKernel.Scale(dropout) : 1f;
        var y = Tensor.Create([batch, tq, heads * dv]);
        var record = Tape.ShouldRecord(q.Tensor, k.Tensor, v.Tensor);
        // The attention weights, kept for backward (they are the softmax outputs, before dropout).
        var probs = record ? Tensor.Create([batch, heads, tq, tk]) : null;
        var (pq, pk, pv, py) = ((nint)q.Tensor.Ptr(q.Column), (nint)k.Tensor.Ptr(k.Column), (nint)v.Tensor.Ptr(v.Column), (nint)y.Ptr(0));
        var pp = probs is null ? 0 : (nint)probs.Ptr(0);
        var outStride = heads * dv;
        if (DirectApplies(tq, tk, dk, dv) && (!drop || Vector512.IsHardwareAccelerated))
        {
            // Few queries and keys per head (decoding, short histories, small training heads): dot products straight
            // from the operands beat gathering them dense for two tiny GEMMs. Only the vector kernel applies dropout.
            var headDropout = new HeadDropout(drop, key, threshold, keepScale);
            Compute.For(batch * heads, (long)batch * heads * tq * tk * (dk + dv), bh =>
            {
                var b = bh / heads;
                var h = bh % heads;
                fixed (float* ps = AttentionScratch(tq * tk))
                    DirectHead((float*)pq + (long)b * tq * q.Stride + h * dk, q.Stride, (float*)pk + (long)b * tk * k.Stride + h * dk, k.Stride,
                        (float*)pv + (long)b * tk * v.Stride + h * dv, v.Stride, (float*)py + (long)b * tq * outStride + h * dv, outStride,
                        pp != 0 ? (float*)pp + (long)bh * tq * tk : ps, b, tq, tk, dk, dv, scale, mask, headDropout, (uint)(bh * tq * tk));
            });
        }
        else
        {
            Compute.For(batch * heads, bh =>
            {
                var b = bh / heads;
                var h = bh % heads;
                // Per (batch, head): this head's Q and V rows gathered dense and K transposed, so the two products run
                // on small contiguous operands without per-product packing.
                var scratch = AttentionScratch(tq * dk + dk * tk + tk * dv + 2 * tq * tk);
                fixed (float* ps = scratch)
                {
                    var qc = ps;
                    var kt = qc + tq * dk;
                    var vc = kt + dk * tk;
                    var local = vc + tk * dv;
                    var dropped = local + tq * tk;
                    MatrixCopy.Rows((float*)pq + (long)b * tq * q.Stride + h * dk, tq, dk, q.Stride, qc);
                    MatrixCopy.Transposed((float*)pk + (long)b * tk * k.Stride + h * dk, tk, dk, k.Stride, kt, tk);
                    MatrixCopy.Rows((float*)pv + (long)b * tk * v.Stride + h * dv, tk, dv, v.Stride, vc);
                    var p = pp != 0 ? (float*)pp + (long)bh * tq * tk : local;
                    Gemm.RunSingleThreaded(false, false, tq, tk, dk, scale, qc, dk, kt, tk, 0f, p, tk);
                    MaskedSoftmaxRows(p, b, tq, tk, mask);
                    var weights = p;
                    if (drop)
                    {
                        DropoutKernel.Apply(p, dropped, tq * tk, key, (uint)(bh * tq * tk), threshold, keepScale, accumulate: false);
                        weights = dropped;
                    }
                    Gemm.RunSingleThreaded(false, false, tq, dv, tk, 1f, weights, tk, vc, dv, 0f,
                        (float*)py + (long)b * tq * outStride + h * dv, outStride);
                }
            });
        }
        GC.KeepAlive(q.Tensor);
        GC.KeepAlive(k.Tensor);
        GC.KeepAlive(v.Tensor);
        if (record)
            Tape.Record(y, () => AttentionBackward(q, k, v, y, probs!, batch, tq, tk, heads, dk, dv, scale, drop, key, threshold, keepScale),
                saved: probs);
        return y;
    }

    /// <summary>Row-wise softmax of scores in place, masked keys (and queries that see nothing) getting weight 0.</summary>
    private static unsafe void MaskedSoftmaxRows(float* p, int b, int tq, int tk, AttentionMask mask)
    {
        for (var i = 0; i < tq; i++)
        {
            var row = new Span<float>(p + (long)i * tk, tk);
            var visible = mask.VisibleKeys(b, i, tq, tk);
            row[visible..].Clear();
            var live = row[..visible];
            if (mask.KeyPadding is not null)
            {
                var pad = mask.KeyPadding.AsSpan(b * tk, visible);
                var any = false;
                for (var j = 0; j < visible; j++)
                    if (pad[j]) live[j] = float.NegativeInfinity;
                    else any = true;
                if (!any)
                {
                    live.Clear();
                    continue;
                }
            }
            if (visible == 0) continue;
            SoftmaxKernel.Row(p + (long)i * tk, visible);
        }
    }
}
