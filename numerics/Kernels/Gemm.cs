namespace Mender.Numerics.Kernels;

/// <summary>Row-major single-precision GEMM on the configured backend (see <see cref="Compute.Gemm"/>).</summary>
public static unsafe class Gemm
{
    /// <summary>Multiply-adds per parallel piece: a few pieces per thread even out late starts.</summary>
    private const long PieceWork = 1L << 24;

    /// <summary>C = alpha·op(A)·op(B) + beta·C; op(A) is m×k, op(B) is k×n; beta = 0 never reads C.</summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (m <= 0 || n <= 0) return;
        if (RowDotGemm.Applies(transA, transB, m, k, beta))
        {
            RowDots(m, n, k, alpha, a, lda, b, ldb, c, ldc);
            return;
        }
        if (Compute.EffectiveGemm == GemmBackend.OpenBlas && k > 0)
            OpenBlasSplit(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else
            ManagedGemm.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>Few rows against a wide B (a catalogue of item embeddings) split B's rows across threads.</summary>
    private static void RowDots(int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float* c, int ldc)
    {
        if ((long)m * n * k < Compute.SerialWork)
        {
            RowDotGemm.Run(m, n, k, alpha, a, lda, b, ldb, c, ldc);
            return;
        }
        var grain = (int)Math.Max(4, PieceWork / ((long)m * k) / 4 * 4);
        var (pa, pb, pc) = ((nint)a, (nint)b, (nint)c);
        Compute.ForRange(n, grain, (j0, j1) =>
            RowDotGemm.Run(m, j1 - j0, k, alpha, (float*)pa, lda, (float*)pb + (long)j0 * ldb, ldb, (float*)pc + j0, ldc));
    }

    /// <summary>
    /// OpenBLAS runs single-threaded inside each of our workers: C is split into blocks of rows (or columns), a few
    /// per thread. Its own thread pool would otherwise keep spinning between calls and starve the managed kernels that
    /// run in between on the same cores.
    /// </summary>
    private static void OpenBlasSplit(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        var threads = Compute.Threads;
        if (threads == 1 || (long)m * n * k < Compute.SerialWork)
        {
            OpenBlas.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        var splitRows = m >= n;
        var extent = splitRows ? m : n;
        var pieces = (int)Math.Clamp((long)m * n * k / PieceWork, threads, threads * 4L);
        var step = (extent + pieces - 1) / pieces;
        var (pa, pb, pc) = ((nint)a, (nint)b, (nint)c);
        Compute.For((extent + step - 1) / step, piece =>
        {
            var start = piece * step;
            var size = Math.Min(step, extent - start);
            var a0 = (float*)pa;
            var b0 = (float*)pb;
            var c0 = (float*)pc;
            if (splitRows)
                OpenBlas.Gemm(transA, transB, size, n, k, alpha, transA ? a0 + start : a0 + (long)start * lda, lda,
                    b0, ldb, beta, c0 + (long)start * ldc, ldc);
            else
                OpenBlas.Gemm(transA, transB, m, size, k, alpha, a0, lda, transB ? b0 + (long)start * ldb : b0 + start, ldb,
                    beta, c0 + start, ldc);
        });
    }

    /// <summary>
    /// A product small enough to run on the calling thread (for example one attention head inside a parallel loop):
    /// always the managed kernel, never multi-threaded.
    /// </summary>
    public static void RunSingleThreaded(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc) =>
        ManagedGemm.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, parallel: false);

    /// <summary>C = alpha·op(A)·op(B) + beta·C on row-major spans, with the backend the engine is set to use.</summary>
    public static void Run(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
            Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }
}
