using Mender.Numerics.Autograd;
using Mender.Numerics.Kernels;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Operations;

public static partial class Ops
{
    /// <summary>Below this many multiply-adds per matrix, a batch runs one matrix per thread instead of threading each.</summary>
    private const long SmallMatrixWork = 1L << 20;

    /// <summary>
    /// Matrix product op(a)·op(b) over the last two dimensions. a is [..., m, k] ([..., k, m] when transposeA);
    /// b is [k, n] ([n, k] when transposeB), shared by every leading index of a, or has the same leading
    /// dimensions as a (batched product).
    /// </summary>
    public static unsafe Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        if (a.Rank < 2 || b.Rank < 2)
            throw new ArgumentException($"MatMul needs matrices, got {a.Describe()} and {b.Describe()}");
        var aRows = a.Dim(-2);
        var aCols = a.Dim(-1);
        var m = transposeA ? aCols : aRows;
        var k = transposeA ? aRows : aCols;
        var bk = transposeB ? b.Dim(-1) : b.Dim(-2);
        var n = transposeB ? b.Dim(-2) : b.Dim(-1);
        if (bk != k)
            throw new ArgumentException($"MatMul inner dimensions differ: {a.Describe()}{(transposeA ? "ᵀ" : "")} · {b.Describe()}{(transposeB ? "ᵀ" : "")}");
        var batch = a.Length / Math.Max(1, aRows * aCols);
        var sharedB = b.Rank == 2;
        if (!sharedB && (b.Rank != a.Rank || !a.Shape[..^2].SequenceEqual(b.Shape[..^2])))
            throw new ArgumentException($"MatMul batch dimensions differ: {a.Describe()} and {b.Describe()}");
        var shape = a.ShapeArray.ToArray();
        shape[^2] = m;
        shape[^1] = n;
        var y = Tensor.Create(shape);
        fixed (float* pa = a.Span, pb = b.Span, py = y.Span)
            BatchedGemm(batch, transposeA, transposeB, m, n, k,
                pa, aCols, aRows * aCols, pb, b.Dim(-1), sharedB ? 0 : k * n, py, n, m * n, 0f, foldable: sharedB && !transposeA);
        if (Tape.ShouldRecord(a, b))
            Tape.Record(y, () => MatMulBackward(a, b, y, transposeA, transposeB, batch, m, n, k, sharedB));
        return y;
    }

    private static unsafe void MatMulBackward(Tensor a, Tensor b, Tensor y, bool transA, bool transB, int batch, int m, int n, int k, bool sharedB)
    {
        var g = y.Grad!;
        var aCols = a.Dim(-1);
        var ldb = b.Dim(-1);
        fixed (float* pa = a.Span, pb = b.Span, pg = g.Span)
        {
            if (a.RequiresGrad)
            {
                var ga = a.AcquireGrad(out var beta);
                fixed (float* pga = ga.Span)
                {
                    if (!transA)
                        // dA = dC · op(B)ᵀ
                        BatchedGemm(batch, false, !transB, m, k, n, pg, n, m * n, pb, ldb, sharedB ? 0 : k * n,
                            pga, aCols, m * k, beta, foldable: sharedB);
                    else
                        // A is [k, m]: dA = op(B) · dCᵀ
                        BatchedGemm(batch, transB, true, k, m, n, pb, ldb, sharedB ? 0 : k * n, pg, n, m * n,
                            pga, aCols, m * k, beta, foldable: false);
                }
            }
            if (b.RequiresGrad)
            {
                var gb = b.AcquireGrad(out var beta);
                fixed (float* pgb = gb.Span)
                {
                    if (sharedB)
                    {
                        if (!transA)
                        {
                            // Leading dimensions fold into one long product: dB = op(A)ᵀ · dC over all rows.
                            var rows = batch * m;
                            if (!transB) Gemm.Run(true, false, k, n, rows, 1f, pa, aCols, pg, n, beta, pgb, ldb);
                            else Gemm.Run(true, false, n, k, rows, 1f, pg, n, pa, aCols, beta, pgb, ldb);
                        }
                        else
                        {
                            for (var i = 0; i < batch; i++)
                            {
                                var ai = pa + (long)i * m * k;
                                var gi = pg + (long)i * m * n;
                                var bi = i == 0 ? beta : 1f;
                                if (!transB) Gemm.Run(false, false, k, n, m, 1f, ai, aCols, gi, n, bi, pgb, ldb);
                                else Gemm.Run(true, true, n, k, m, 1f, gi, n, ai, aCols, bi, pgb, ldb);
                            }
                        }
                    }
                    else if (!transB)
                        // dB = op(A)ᵀ · dC
                        BatchedGemm(batch, !transA, false, k, n, m, pa, aCols, m * k, pg, n, m * n, pgb, ldb, k * n, beta, foldable: false);
                    else
                        // B is [n, k]: dB = dCᵀ · op(A)
                        BatchedGemm(batch, true, transA, n, k, m, pg, n, m * n, pa, aCols, m * k, pgb, ldb, k * n, beta, foldable: false);
                }
            }
        }
    }

    /// <summary>
    /// C_i = op(A_i)·op(B_i) + beta·C_i for i in [0, batch). A stride of 0 shares a matrix across the batch.
    /// When foldable (A not transposed, B shared, C rows contiguous), the batch folds into one tall product.
    /// </summary>
    internal static unsafe void BatchedGemm(int batch, bool transA, bool transB, int m, int n, int k,
        float* a, int lda, long strideA, float* b, int ldb, long strideB, float* c, int ldc, long strideC, float beta, bool foldable)
    {
        if (batch == 1 || (foldable && strideB == 0 && strideA == (long)m * lda && strideC == (long)m * ldc))
        {
            Gemm.Run(transA, transB, batch * m, n, k, 1f, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        if ((long)m * n * k >= SmallMatrixWork)
        {
            for (var i = 0; i < batch; i++)
                Gemm.Run(transA, transB, m, n, k, 1f, a + i * strideA, lda, b + i * strideB, ldb, beta, c + i * strideC, ldc);
            return;
        }
        var (pa, pb, pc) = ((nint)a, (nint)b, (nint)c);
        Compute.For(batch, i => Gemm.RunSingleThreaded(transA, transB, m, n, k, 1f,
            (float*)pa + i * strideA, lda, (float*)pb + i * strideB, ldb, beta, (float*)pc + i * strideC, ldc));
    }
}
