using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

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
        var key = drop ? rng!.NextUInt64() : 0UL;
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

    /// <summary>Multiply-adds per (batch, head) up to which attention takes <see cref="DirectHead"/>.</summary>
    private const long DirectAttentionWork = 1 << 16;

    private static bool DirectApplies(int tq, int tk, int dk, int dv) => (long)tq * tk * (dk + dv) <= DirectAttentionWork;

    /// <summary>Dropout on one head's attention weights: the same mask (key, element offset) forward and backward.</summary>
    private readonly record struct HeadDropout(bool Active, ulong Key, uint Threshold, float Scale);

    /// <summary>
    /// One head's attention without gathering: scores are dot products of the query and key rows where they lie,
    /// the softmax goes into <paramref name="p"/> [tq, tk], and each output row is the weighted sum of the value rows.
    /// The scalar fallback runs without dropout only (the caller sends heads with dropout elsewhere without AVX-512).
    /// </summary>
    private static unsafe void DirectHead(float* q, int qStride, float* k, int kStride, float* v, int vStride, float* y, int yStride,
        float* p, int b, int tq, int tk, int dk, int dv, float scale, AttentionMask mask, HeadDropout dropout, uint start)
    {
        if (Vector512.IsHardwareAccelerated && (dropout.Active || WidePays(tq, tk, dk)))
        {
            DirectHeadWide(q, qStride, k, kStride, v, vStride, y, yStride, p, b, tq, tk, dk, dv, scale, mask, dropout, start);
            return;
        }
        for (var i = 0; i < tq; i++)
        {
            var query = q + (long)i * qStride;
            var row = p + (long)i * tk;
            for (var j = 0; j < tk; j++) row[j] = scale * Dot(query, k + (long)j * kStride, dk);
        }
        MaskedSoftmaxRows(p, b, tq, tk, mask);
        for (var i = 0; i < tq; i++)
        {
            var output = y + (long)i * yStride;
            new Span<float>(output, dv).Clear();
            var row = p + (long)i * tk;
            for (var j = 0; j < tk; j++)
                if (row[j] != 0f) AddScaled(output, v + (long)j * vStride, row[j], dv);
        }
    }

    [ThreadStatic] private static float[]? directScratch;

    /// <summary>
    /// Whether transposing the keys (dk × padded keys) pays for itself over one dot product per score, each ending in
    /// a horizontal sum (about 8 operations): not for a single decoding query against a handful of cached keys.
    /// </summary>
    private static bool WidePays(int tq, int tk, int dk)
    {
        var width = (tk + 15) & ~15;
        long dots = (long)tq * tk * (dk / 16 + 8);
        long wide = (long)dk * width + (long)tq * dk * (width / 16);
        return wide < dots;
    }

    /// <summary>
    /// <see cref="DirectHead"/> in 16-key vectors: the head's keys are transposed once (pre-scaled), so a query's
    /// scores against 16 keys are dk broadcast multiply-adds with no horizontal sums, and each output row is summed
    /// in registers over the value rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void DirectHeadWide(float* q, int qStride, float* k, int kStride, float* v, int vStride, float* y, int yStride,
        float* p, int b, int tq, int tk, int dk, int dv, float scale, AttentionMask mask, HeadDropout dropout, uint start)
    {
        var width = (tk + 15) & ~15;
        fixed (float* kt = DirectScratch(dk * width + width + tq * tk))
        {
            for (var j = 0; j < tk; j++)
            {
                var key = k + (long)j * kStride;
                for (var d = 0; d < dk; d++) kt[d * width + j] = scale * key[d];
            }
            for (var d = 0; d < dk; d++)
                for (var j = tk; j < width; j++) kt[d * width + j] = 0f;
            var scores = kt + dk * width;
            for (var i = 0; i < tq; i++)
            {
                var query = q + (long)i * qStride;
                for (var c = 0; c < width; c += 16)
                {
                    Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                    var column = kt + c;
                    var d = 0;
                    for (; d + 4 <= dk; d += 4)
                    {
                        s0 = Vector512.FusedMultiplyAdd(Vector512.Create(query[d]), Vector512.Load(column + d * width), s0);
                        s1 = Vector512.FusedMultiplyAdd(Vector512.Create(query[d + 1]), Vector512.Load(column + (d + 1) * width), s1);
                        s2 = Vector512.FusedMultiplyAdd(Vector512.Create(query[d + 2]), Vector512.Load(column + (d + 2) * width), s2);
                        s3 = Vector512.FusedMultiplyAdd(Vector512.Create(query[d + 3]), Vector512.Load(column + (d + 3) * width), s3);
                    }
                    for (; d < dk; d++) s0 = Vector512.FusedMultiplyAdd(Vector512.Create(query[d]), Vector512.Load(column + d * width), s0);
                    Vector512.Store(s0 + s1 + (s2 + s3), scores + c);
                }
                new ReadOnlySpan<float>(scores, tk).CopyTo(new Span<float>(p + (long)i * tk, tk));
            }
            MaskedSoftmaxRows(p, b, tq, tk, mask);
            // Weights after dropout (the saved p stays the softmax output, as backward expects).
            var weights = p;
            if (dropout.Active)
            {
                weights = kt + dk * width + width;
                DropoutKernel.Apply(p, weights, tq * tk, dropout.Key, start, dropout.Threshold, dropout.Scale, accumulate: false);
            }
            for (var i = 0; i < tq; i++)
                AccumulateRows(weights + (long)i * tk, 1, tk, v, vStride, dv, 1f, y + (long)i * yStride, 0f);
        }
    }

    private static float[] DirectScratch(int length)
    {
        var scratch = directScratch;
        if (scratch is null || scratch.Length < length) directScratch = scratch = GC.AllocateUninitializedArray<float>(length, pinned: true);
        return scratch;
    }

    /// <summary>
    /// dst[c] = beta·dst[c] + scale·Σₜ coeff[t·coeffStride]·rows[t·rowStride + c] for c &lt; width, in 16-wide
    /// vectors with two chains (even and odd t). Every row is read, as in a GEMM: masked keys carry weight 0 over
    /// finite values. beta 0 never reads dst.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void AccumulateRows(float* coeff, nint coeffStride, int count, float* rows, nint rowStride, int width,
        float scale, float* dst, float beta)
    {
        var c = 0;
        for (; c + 16 <= width; c += 16)
        {
            Vector512<float> even = default, odd = default;
            var t = 0;
            for (; t + 2 <= count; t += 2)
            {
                even = Vector512.FusedMultiplyAdd(Vector512.Load(rows + t * rowStride + c), Vector512.Create(coeff[t * coeffStride]), even);
                odd = Vector512.FusedMultiplyAdd(Vector512.Load(rows + (t + 1) * rowStride + c), Vector512.Create(coeff[(t + 1) * coeffStride]), odd);
            }
            if (t < count) even = Vector512.FusedMultiplyAdd(Vector512.Load(rows + t * rowStride + c), Vector512.Create(coeff[t * coeffStride]), even);
            var sum = (even + odd) * scale;
            if (beta != 0f) sum = Vector512.FusedMultiplyAdd(Vector512.Load(dst + c), Vector512.Create(beta), sum);
            Vector512.Store(sum, dst + c);
        }
        for (; c < width; c++)
        {
            var sum = 0f;
            for (var t = 0; t < count; t++) sum += coeff[t * coeffStride] * rows[t * rowStride + c];
            dst[c] = beta == 0f ? scale * sum : beta * dst[c] + scale * sum;
        }
    }

    /// <summary>
    /// Backward of <see cref="DirectHeadWide"/> for one head, without gathering: dV = Wᵀ·dO, dW = dO·Vᵀ (values
    /// transposed once), through dropout and softmax to dS, then dQ = scale·dS·K and dK = scale·dSᵀ·Q. Null gradient
    /// targets are skipped; each target is written with its beta.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void DirectHeadBackward(float* q, int qStride, float* k, int kStride, float* v, int vStride, float* g, int gStride,
        float* p, float* gq, float betaQ, float* gk, float betaK, float* gv, float betaV, int tq, int tk, int dk, int dv, float scale,
        HeadDropout dropout, uint start)
    {
        var width = (tk + 15) & ~15;
        fixed (float* vt = DirectScratch(dv * width + width + 2 * tq * tk))
        {
            var scores = vt + dv * width;
            var dp = scores + width;
            var weights = p;
            if (dropout.Active)
            {
                weights = dp + tq * tk;
                DropoutKernel.Apply(p, weights, tq * tk, dropout.Key, start, dropout.Threshold, dropout.Scale, accumulate: false);
            }
            if (gv != null)
                for (var j = 0; j < tk; j++)
                    AccumulateRows(weights + j, tk, tq, g, gStride, dv, 1f, gv + (long)j * vStride, betaV);
            if (gq == null && gk == null) return;
            for (var j = 0; j < tk; j++)
            {
                var value = v + (long)j * vStride;
                for (var d = 0; d < dv; d++) vt[d * width + j] = value[d];
            }
            for (var d = 0; d < dv; d++)
                for (var j = tk; j < width; j++) vt[d * width + j] = 0f;
            for (var i = 0; i < tq; i++)
            {
                var output = g + (long)i * gStride;
                for (var c = 0; c < width; c += 16)
                {
                    Vector512<float> s0 = default, s1 = default;
                    var column = vt + c;
                    var d = 0;
                    for (; d + 2 <= dv; d += 2)
                    {
                        s0 = Vector512.FusedMultiplyAdd(Vector512.Create(output[d]), Vector512.Load(column + d * width), s0);
                        s1 = Vector512.FusedMultiplyAdd(Vector512.Create(output[d + 1]), Vector512.Load(column + (d + 1) * width), s1);
                    }
                    if (d < dv) s0 = Vector512.FusedMultiplyAdd(Vector512.Create(output[d]), Vector512.Load(column + d * width), s0);
                    Vector512.Store(s0 + s1, scores + c);
                }
                new ReadOnlySpan<float>(scores, tk).CopyTo(new Span<float>(dp + (long)i * tk, tk));
            }
            if (dropout.Active) DropoutKernel.Apply(dp, dp, tq * tk, dropout.Key, start, dropout.Threshold, dropout.Scale, accumulate: false);
            for (var i = 0; i < tq; i++) SoftmaxKernel.BackwardRow(p + (long)i * tk, dp + (long)i * tk, tk);
            if (gq != null)
                for (var i = 0; i < tq; i++)
                    AccumulateRows(dp + (long)i * tk, 1, tk, k, kStride, dk, scale, gq + (long)i * qStride, betaQ);
            if (gk != null)
                for (var j = 0; j < tk; j++)
                    AccumulateRows(dp + j, tk, tq, q, qStride, dk, scale, gk + (long)j * kStride, betaK);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe float Dot(float* a, float* b, int n)
    {
        var i = 0;
        var sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= 16)
        {
            var acc = Vector512<float>.Zero;
            for (; i + 16 <= n; i += 16) acc = Vector512.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), acc);
            sum = Vector512.Sum(acc);
        }
        else if (Vector256.IsHardwareAccelerated && n >= 8)
        {
            var acc = Vector256<float>.Zero;
            for (; i + 8 <= n; i += 8) acc = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), acc);
            sum = Vector256.Sum(acc);
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>y += w·x over n floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void AddScaled(float* y, float* x, float w, int n)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var weight = Vector512.Create(w);
            for (; i + 16 <= n; i += 16) Vector512.Store(Vector512.FusedMultiplyAdd(Vector512.Load(x + i), weight, Vector512.Load(y + i)), y + i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var weight = Vector256.Create(w);
            for (; i + 8 <= n; i += 8) Vector256.Store(Vector256.FusedMultiplyAdd(Vector256.Load(x + i), weight, Vector256.Load(y + i)), y + i);
        }
        for (; i < n; i++) y[i] += w * x[i];
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

    private static unsafe void AttentionBackward(Operand q, Operand k, Operand v, Tensor y, Tensor probs, int batch, int tq, int tk,
        int heads, int dk, int dv, float scale, bool drop, ulong key, uint threshold, float keepScale)
    {
        var g = y.Grad!;
        // Gradients land in the same column blocks the operands were read from. Operands that share one tensor
        // (packed projections) share its gradient; a fresh shared buffer is cleared first so every block can add.
        var (gq, betaQ, gk, betaK, gv, betaV) = GradTargets(q, k, v);
        var (pq, pk, pv, pg, pp) = ((nint)q.Tensor.Ptr(q.Column), (nint)k.Tensor.Ptr(k.Column), (nint)v.Tensor.Ptr(v.Column), (nint)g.Ptr(0), (nint)probs.Ptr(0));
        var pgq = gq is null ? 0 : (nint)gq.Ptr(q.Column);
        var pgk = gk is null ? 0 : (nint)gk.Ptr(k.Column);
        var pgv = gv is null ? 0 : (nint)gv.Ptr(v.Column);
        var outStride = heads * dv;
        if (DirectApplies(tq, tk, dk, dv) && Vector512.IsHardwareAccelerated)
        {
            var headDropout = new HeadDropout(drop, key, threshold, keepScale);
            Compute.For(batch * heads, (long)batch * heads * tq * tk * (dk + dv) * 2, bh =>
            {
                var b = bh / heads;
                var h = bh % heads;
                DirectHeadBackward((float*)pq + (long)b * tq * q.Stride + h * dk, q.Stride, (float*)pk + (long)b * tk * k.Stride + h * dk, k.Stride,
                    (float*)pv + (long)b * tk * v.Stride + h * dv, v.Stride, (float*)pg + (long)b * tq * outStride + h * dv, outStride,
                    (float*)pp + (long)bh * tq * tk,
                    pgq == 0 ? null : (float*)pgq + (long)b * tq * q.Stride + h * dk, betaQ,
                    pgk == 0 ? null : (float*)pgk + (long)b * tk * k.Stride + h * dk, betaK,
                    pgv == 0 ? null : (float*)pgv + (long)b * tk * v.Stride + h * dv, betaV,
                    tq, tk, dk, dv, scale, headDropout, (uint)(bh * tq * tk));
            });
            GC.KeepAlive(q.Tensor);
            GC.KeepAlive(k.Tensor);
            GC.KeepAlive(v.Tensor);
            return;
        }
        Compute.For(batch * heads, bh =>
        {
            var b = bh / heads;
            var h = bh % heads;
            var scratch = AttentionScratch(tq * dk + tk * dk + dv * tk + tq * dv + 2 * tq * tk);
            fixed (float* ps = scratch)
            {
                var qc = ps;
                var kc = qc + tq * dk;
                var vt = kc + tk * dk;
                var goc = vt + dv * tk;
                var dp = goc + tq * dv;
                var dropped = dp + tq * tk;
                var p = (float*)pp + (long)bh * tq * tk;
                var weights = p;
                if (drop)
                {
                    weights = dropped;
                    DropoutKernel.Apply(p, weights, tq * tk, key, (uint)(bh * tq * tk), threshold, keepScale, accumulate: false);
                }
                MatrixCopy.Rows((float*)pg + (long)b * tq * outStride + h * dv, tq, dv, outStride, goc);
                // dV = weightsᵀ · dO
                if (pgv != 0)
                    Gemm.RunSingleThreaded(true, false, tk, dv, tq, 1f, weights, tk, goc, dv, betaV,
                        (float*)pgv + (long)b * tk * v.Stride + h * dv, v.Stride);
                if (pgq == 0 && pgk == 0) return;
                MatrixCopy.Rows((float*)pq + (long)b * tq * q.Stride + h * dk, tq, dk, q.Stride, qc);
                MatrixCopy.Rows((float*)pk + (long)b * tk * k.Stride + h * dk, tk, dk, k.Stride, kc);
                MatrixCopy.Transposed((float*)pv + (long)b * tk * v.Stride + h * dv, tk, dv, v.Stride, vt, tk);
                // dWeights = dO · Vᵀ, then back through dropout and softmax: dS = P·(dP − Σ dP·P).
                Gemm.RunSingleThreaded(false, false, tq, tk, dv, 1f, goc, dv, vt, tk, 0f, dp, tk);
                if (drop) DropoutKernel.Apply(dp, dp, tq * tk, key, (uint)(bh * tq * tk), threshold, keepScale, accumulate: false);
                for (var i = 0; i < tq; i++) SoftmaxKernel.BackwardRow(p + (long)i * tk, dp + (long)i * tk, tk);
                // dQ = scale·dS·K, dK = scale·dSᵀ·Q
                if (pgq != 0)
                    Gemm.RunSingleThreaded(false, false, tq, dk, tk, scale, dp, tk, kc, dk, betaQ,
                        (float*)pgq + (long)b * tq * q.Stride + h * dk, q.Stride);
                if (pgk != 0)
                    Gemm.RunSingleThreaded(true, false, tk, dk, tq, scale, dp, tk, qc, dk, betaK,
                        (float*)pgk + (long)b * tk * k.Stride + h * dk, k.Stride);
            }
        });
        GC.KeepAlive(q.Tensor);
        GC.KeepAlive(k.Tensor);
        GC.KeepAlive(v.Tensor);
    }

    /// <summary>
    /// The gradient buffers and betas of the three operands. Operands backed by one tensor share its gradient: when
    /// their column blocks tile the row without overlap (packed projections) each block is written once with the
    /// tensor's beta; otherwise (the same tensor passed twice) a fresh buffer is cleared and every operand adds.
    /// </summary>
    private static (Tensor? Q, float BetaQ, Tensor? K, float BetaK, Tensor? V, float BetaV) GradTargets(Operand q, Operand k, Operand v)
    {
        Operand[] operands = [q, k, v];
        var grads = new Tensor?[3];
        var betas = new float[3];
        for (var i = 0; i < 3; i++)
        {
            var t = operands[i].Tensor;
            if (!t.RequiresGrad || grads[i] is not null) continue;
            var grad = t.AcquireGrad(out var beta);
            var group = new List<int>();
            for (var j = i; j < 3; j++)
                if (ReferenceEquals(operands[j].Tensor, t)) group.Add(j);
            if (group.Count > 1 && !TilesRow(operands, group))
            {
                if (beta == 0) grad.Span.Clear();
                beta = 1f;
            }
            foreach (var j in group)
            {
                grads[j] = grad;
                betas[j] = beta;
            }
        }
        return (grads[0], betas[0], grads[1], betas[1], grads[2], betas[2]);
    }

    /// <summary>Whether the operands' column blocks are disjoint and together cover every column of the tensor.</summary>
    private static bool TilesRow(Operand[] operands, List<int> group)
    {
        var width = operands[group[0]].Tensor.Dim(-1);
        var covered = new bool[width];
        foreach (var j in group)
        {
            var o = operands[j];
            for (var c = o.Column; c < o.Column + o.Width; c++)
            {
                if (covered[c]) return false;
                covered[c] = true;
            }
        }
        return Array.TrueForAll(covered, c => c);
    }
}
