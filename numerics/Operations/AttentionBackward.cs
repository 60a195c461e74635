using System.Runtime.Intrinsics;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
    /// <summary>
    /// The backward pass of <see cref="AttentionCore"/>: gradients of Q, K and V from the output gradient and the saved
    /// attention weights, with the same dropout mask as the forward pass.
    /// </summary>
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
