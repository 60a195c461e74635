using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Mender.Numerics.Kernels;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
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
}
