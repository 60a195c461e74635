using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
    /// <summary>
    /// Cross-attention from queries q [B, Tq, H·d] to an unprojected memory [B, Tk, m], with the packed key/value
    /// projection wkv [2·H·d, m] (rows [K | V]) and bias bkv folded into the query side instead of applied to every
    /// memory row: per head, scores are (q·W_K)·memoryᵀ (the key bias shifts a whole softmax row and drops out) and
    /// the output is (weights·memory)·W_Vᵀ + b_V·Σweights. The result equals
    /// CrossAttention(q, Linear(memory, wkv, bkv), ...) up to rounding, at a cost that grows with Tq instead of Tk —
    /// the cheap form when a few decoder positions attend to a long encoder output.
    /// </summary>
    public static unsafe Tensor FoldedCrossAttention(Tensor q, Tensor memory, Tensor wkv, Tensor? bkv, int heads,
        AttentionMask mask = default, float dropout = 0f, Rng? rng = null, float? scale = null)
    {
        var (batch, tq, qWidth) = Dims3(q, "query");
        var (mb, tk, width) = Dims3(memory, "memory");
        var d = HeadSize(qWidth, heads, "query");
        if (mb != batch || wkv.Rank != 2 || wkv.Dim(0) != 2 * qWidth || wkv.Dim(1) != width)
            throw new ArgumentException($"folded cross-attention shapes disagree: q {q.Describe()}, memory {memory.Describe()}, wkv {wkv.Describe()}");
        if (bkv is not null && bkv.Length != 2 * qWidth) throw new ArgumentException($"kv bias {bkv.Describe()} does not match {wkv.Describe()}");
        ValidateDropout(dropout);
        mask.Validate(batch, tk);
        var s = scale ?? 1f / MathF.Sqrt(d);
        var drop = dropout > 0 && rng is not null;
        var key = drop ? Shard.DropoutKey(rng!) : 0UL;
        var threshold = DropoutKernel.Threshold(dropout);
        var keepScale = drop ? DropoutKernel.Scale(dropout) : 1f;
        var rows = batch * tq;
        var record = Tape.ShouldRecord(q, memory, wkv) || bkv?.RequiresGrad == true && Tape.IsGradEnabled;
        // Per query row and head: the query mapped into memory space, the attention weights, the weighted memory.
        var folded = Tensor.Create([rows, heads, width]);
        var probs = Tensor.Create([batch, tq, heads, tk]);
        var context = Tensor.Create([rows, heads, width]);
        var y = Tensor.Create([batch, tq, qWidth]);
        var (pq, pm, pw, pf, pp, pc, py) = ((nint)q.Ptr(0), (nint)memory.Ptr(0), (nint)wkv.Ptr(0), (nint)folded.Ptr(0),
            (nint)probs.Ptr(0), (nint)context.Ptr(0), (nint)y.Ptr(0));
        var stride = heads * width;
        // Σ of each row of (dropped-out) weights: the share of the value bias that row receives.
        var weightSums = new float[rows * heads];
        for (var h = 0; h < heads; h++)
            Gemm.Run(false, false, rows, width, d, 1f, (float*)pq + h * d, qWidth, (float*)pw + (long)h * d * width, width,
                0f, (float*)pf + h * width, stride);
        var block = tq * heads;
        Compute.For(batch, b =>
        {
            var m = (float*)pm + (long)b * tk * width;
            var p = (float*)pp + (long)b * block * tk;
            Gemm.RunSingleThreaded(false, true, block, tk, width, s, (float*)pf + (long)b * block * width, width, m, width, 0f, p, tk);
            var scratch = AttentionScratch(block * tk);
            fixed (float* ps = scratch)
            {
                for (var t = 0; t < tq; t++) MaskedSoftmaxRows(p + (long)t * heads * tk, b, t, tq, tk, heads, mask);
                var weights = drop ? ps : p;
                if (drop) ApplyFoldedDropout(p, ps, b, tq, tk, heads, key, threshold, keepScale);
                for (var r = 0; r < block; r++) weightSums[b * block + r] = TensorPrimitives.Sum(new ReadOnlySpan<float>(weights + (long)r * tk, tk));
                Gemm.RunSingleThreaded(false, false, block, width, tk, 1f, weights, tk, m, width, 0f, (float*)pc + (long)b * block * width, width);
            }
        });
        for (var h = 0; h < heads; h++)
            Gemm.Run(false, true, rows, d, width, 1f, (float*)pc + h * width, stride, (float*)pw + (long)(qWidth + h * d) * width, width,
                0f, (float*)py + h * d, qWidth);
        if (bkv is not null) AddValueBias(y, bkv, weightSums, heads, d);
        GC.KeepAlive(q);
        GC.KeepAlive(memory);
        GC.KeepAlive(wkv);
        if (record)
        {
            Tape.Record(y, () => FoldedBackward(q, memory, wkv, bkv, y, folded, probs, context, weightSums, batch, tq, tk, heads, d, width, s,
                drop, key, threshold, keepScale), saved: folded, saved2: probs);
            // The context is the third saved buffer; it lives until the tape ends.
        }
        else
        {
            folded.Release();
            probs.Release();
            context.Release();
        }
        return y;
    }

    /// <summary>Softmax over the keys of one query row for each head (rows laid out [head][key]).</summary>
    private static unsafe void MaskedSoftmaxRows(float* rows, int b, int t, int tq, int tk, int heads, AttentionMask mask)
    {
        var visible = mask.VisibleKeys(b, t, tq, tk);
        for (var h = 0; h < heads; h++)
        {
            var row = new Span<float>(rows + (long)h * tk, tk);
            row[visible..].Clear();
            if (visible == 0) continue;
            var any = true;
            if (mask.KeyPadding is not null)
            {
                any = false;
                var pad = mask.KeyPadding.AsSpan(b * tk, visible);
                for (var j = 0; j < visible; j++)
                    if (pad[j]) row[j] = float.NegativeInfinity;
                    else any = true;
            }
            if (any) SoftmaxKernel.Row(rows + (long)h * tk, visible);
            else row.Clear();
        }
    }

    /// <summary>Dropout on weights stored [t][h][key], with the mask indexed as the unfolded attention indexes it ([h][t][key]).</summary>
    private static unsafe void ApplyFoldedDropout(float* src, float* dst, int b, int tq, int tk, int heads, ulong key, uint threshold, float keepScale)
    {
        for (var t = 0; t < tq; t++)
            for (var h = 0; h < heads; h++)
            {
                var offset = ((long)t * heads + h) * tk;
                DropoutKernel.Apply(src + offset, dst + offset, tk, key, (uint)(((b * heads + h) * tq + t) * tk), threshold, keepScale, accumulate: false);
            }
    }

    /// <summary>y[row, head] += b_V,head · Σweights[row, head].</summary>
    private static void AddValueBias(Tensor y, Tensor bkv, float[] weightSums, int heads, int d)
    {
        var width = heads * d;
        var bias = bkv.Span.Slice(width, width);
        var ys = y.Span;
        for (var r = 0; r < weightSums.Length; r++)
        {
            var h = r % heads;
            var dst = ys.Slice(r / heads * width + h * d, d);
            TensorPrimitives.MultiplyAdd(bias.Slice(h * d, d), weightSums[r], dst, dst);
        }
    }

    private static unsafe void FoldedBackward(Tensor q, Tensor memory, Tensor wkv, Tensor? bkv, Tensor y, Tensor folded, Tensor probs,
        Tensor context, float[] weightSums, int batch, int tq, int tk, int heads, int d, int width, float s, bool drop, ulong key,
        uint threshold, float keepScale)
    {
        var g = y.Grad!;
        var rows = batch * tq;
        var qWidth = heads * d;
        var stride = heads * width;
        var block = tq * heads;
        var dContext = new Tensor(TensorStorage.Rent(rows * stride), 0, [rows, heads, width]);
        var dFolded = new Tensor(TensorStorage.Rent(rows * stride), 0, [rows, heads, width]);
        try
        {
            var (pg, pw, pc, pf, pp, pm, pq) = ((nint)g.Ptr(0), (nint)wkv.Ptr(0), (nint)context.Ptr(0), (nint)folded.Ptr(0),
                (nint)probs.Ptr(0), (nint)memory.Ptr(0), (nint)q.Ptr(0));
            var (pdc, pdf) = ((nint)dContext.Ptr(0), (nint)dFolded.Ptr(0));
            // Through the value projection: dContext_h = dY_h · W_V,h and dW_V,h = dY_hᵀ · context_h.
            for (var h = 0; h < heads; h++)
                Gemm.Run(false, false, rows, width, d, 1f, (float*)pg + h * d, qWidth, (float*)pw + (long)(qWidth + h * d) * width, width,
                    0f, (float*)pdc + h * width, stride);
            Tensor? gw = null;
            var betaW = 0f;
            if (wkv.RequiresGrad)
            {
                gw = wkv.AcquireGrad(out betaW);
                var pgw = (nint)gw.Ptr(0);
                for (var h = 0; h < heads; h++)
                    Gemm.Run(true, false, d, width, rows, 1f, (float*)pg + h * d, qWidth, (float*)pc + h * width, stride,
                        betaW, (float*)pgw + (long)(qWidth + h * d) * width, width);
            }
            if (bkv is not null && bkv.RequiresGrad)
            {
                var gb = bkv.AcquireGrad(out var betaB).Span;
                // The key bias never changes the weights, so its gradient is exactly zero.
                if (betaB == 0) gb.Clear();
                var gv = gb.Slice(qWidth, qWidth);
                var gs = g.Span;
                for (var r = 0; r < weightSums.Length; r++)
                {
                    var h = r % heads;
                    var dst = gv.Slice(h * d, d);
                    TensorPrimitives.MultiplyAdd(gs.Slice(r / heads * qWidth + h * d, d), weightSums[r], dst, dst);
                }
            }
            // Each weight also scaled the value bias: dWeight[row, j] gains dY[row, head] · b_V,head.
            var biasDots = new float[weightSums.Length];
            if (bkv is not null)
            {
                var gs = g.Span;
                var bias = bkv.Span.Slice(qWidth, qWidth);
                for (var r = 0; r < biasDots.Length; r++)
                {
                    var h = r % heads;
                    biasDots[r] = TensorPrimitives.Dot(gs.Slice(r / heads * qWidth + h * d, d), bias.Slice(h * d, d));
                }
            }
            Tensor? gm = null;
            var betaM = 0f;
            if (memory.RequiresGrad) gm = memory.AcquireGrad(out betaM);
            var pgm = gm is null ? 0 : (nint)gm.Ptr(0);
            Compute.For(batch, b =>
            {
                var m = (float*)pm + (long)b * tk * width;
                var p = (float*)pp + (long)b * block * tk;
                var dc = (float*)pdc + (long)b * block * width;
                var scratch = AttentionScratch(2 * block * tk);
                fixed (float* ps = scratch)
                {
                    var weights = p;
                    if (drop)
                    {
                        weights = ps + block * tk;
                        ApplyFoldedDropout(p, weights, b, tq, tk, heads, key, threshold, keepScale);
                    }
                    var dm = (float*)pgm + (long)b * tk * width;
                    // dMemory = weightsᵀ · dContext (+ the score path below)
                    if (pgm != 0) Gemm.RunSingleThreaded(true, false, tk, width, block, 1f, weights, tk, dc, width, betaM, dm, width);
                    var dp = ps;
                    Gemm.RunSingleThreaded(false, true, block, tk, width, 1f, dc, width, m, width, 0f, dp, tk);
                    for (var r = 0; r < block; r++)
                    {
                        var extra = biasDots[b * block + r];
                        if (extra != 0) TensorPrimitives.Add(new Span<float>(dp + (long)r * tk, tk), extra, new Span<float>(dp + (long)r * tk, tk));
                    }
                    if (drop)
                        for (var t = 0; t < tq; t++)
                            for (var h = 0; h < heads; h++)
                            {
                                var offset = ((long)t * heads + h) * tk;
                                DropoutKernel.Apply(dp + offset, dp + offset, tk, key, (uint)(((b * heads + h) * tq + t) * tk), threshold, keepScale, accumulate: false);
                            }
                    for (var r = 0; r < block; r++) SoftmaxKernel.BackwardRow(p + (long)r * tk, dp + (long)r * tk, tk);
                    Gemm.RunSingleThreaded(false, false, block, width, tk, s, dp, tk, m, width, 0f, (float*)pdf + (long)b * block * width, width);
                    if (pgm != 0)
                        Gemm.RunSingleThreaded(true, false, tk, width, block, s, dp, tk, (float*)pf + (long)b * block * width, width, 1f, dm, width);
                }
            });
            if (q.RequiresGrad)
            {
                var gq = q.AcquireGrad(out var betaQ);
                var pgq = (nint)gq.Ptr(0);
                for (var h = 0; h < heads; h++)
                    Gemm.Run(false, true, rows, d, width, 1f, (float*)pdf + h * width, stride, (float*)pw + (long)h * d * width, width,
                        betaQ, (float*)pgq + h * d, qWidth);
            }
            if (gw is not null)
            {
                var pgw = (nint)gw.Ptr(0);
                for (var h = 0; h < heads; h++)
                    Gemm.Run(true, false, d, width, rows, 1f, (float*)pq + h * d, qWidth, (float*)pdf + h * width, stride,
                        betaW, (float*)pgw + (long)h * d * width, width);
            }
        }
        finally
        {
            dContext.Release();
            dFolded.Release();
            context.Release();
        }
        GC.KeepAlive(q);
        GC.KeepAlive(memory);
        GC.KeepAlive(wkv);
    }
}
