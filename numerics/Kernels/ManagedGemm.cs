using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mender.Numerics.Kernels;

/// <summary>
/// Single-precision GEMM in managed code, blocked the GotoBLAS/BLIS way: B is packed into KC×NR column panels,
/// A into MR×KC row panels, and a register-tiled micro-kernel (AVX-512 12×32, AVX2 6×16, or scalar 4×4) runs
/// over them; on AVX-512, leftover rows (up to 8) take shorter 8×32, 4×32 and 1×32 kernels. A B packed once and
/// kept (<see cref="PackWhole"/>, <see cref="GemmPrepacked"/>; an inference weight) skips packing altogether.
/// Every output element is summed in the same order whatever the thread split, so results do not depend on the
/// thread count.
/// </summary>
public static unsafe class ManagedGemm
{
    private const int KC = 192;

    /// <summary>
    /// How far ahead (floats) the short-A kernels prefetch a prepacked B: decoding streams every weight through once
    /// per step from L3 or memory, a few rows at a time, and waits on it without this; 2 KB ahead measured best.
    /// </summary>
    private const int PrefetchAhead = 512;

    /// <summary>
    /// The depth block for deep, narrow products (a weight gradient summed over every token): fewer passes over C
    /// pay for the B panel no longer fitting L1 entirely.
    /// </summary>
    private const int DeepKC = 320;

    /// <summary>Depth from which <see cref="DeepKC"/> applies.</summary>
    private const int DeepK = 4096;
    private const int MCRows = 96;
    private const int NC = 1024;

    /// <summary>The best micro-kernel this CPU runs.</summary>
    internal static readonly KernelKind Best = Avx512F.IsSupported && Vector512.IsHardwareAccelerated ? KernelKind.Avx512
        : Avx2.IsSupported && Fma.IsSupported ? KernelKind.Avx2
        : KernelKind.Scalar;

    private static int RowsOf(KernelKind kind) => kind switch { KernelKind.Avx512 => 12, KernelKind.Avx512Square => 16, KernelKind.Avx2 => 6, _ => 4 };
    private static int ColsOf(KernelKind kind) => kind switch { KernelKind.Avx512 => 32, KernelKind.Avx512Square => 16, KernelKind.Avx2 => 16, _ => 4 };

    /// <summary>Whether this CPU runs a micro-kernel.</summary>
    internal static bool Supports(KernelKind kind) => kind switch
    {
        KernelKind.Avx512 or KernelKind.Avx512Square => Best == KernelKind.Avx512,
        KernelKind.Avx2 => Best >= KernelKind.Avx2,
        _ => true,
    };

    /// <summary>Products up to this many multiply-adds may switch to the 16×16 tile when it divides them better.</summary>
    private const long SquareTileLimit = 1L << 21;

    /// <summary>Below this many multiply-adds a product never splits, whatever thread count the caller asks for.</summary>
    private const long MinimumSplitWork = 1L << 18;

    /// <summary>Multiply-adds per parallel piece worth its own packing of the shared operand.</summary>
    private const long PieceWork = 1L << 24;

    /// <summary>Shared operands larger than this many floats are packed by one piece per thread only.</summary>
    private const long SharedPackLimit = 1L << 19;

    [ThreadStatic] private static float* packA;
    [ThreadStatic] private static float* packB;
    [ThreadStatic] private static float* edgeTile;

    /// <summary>Micro-kernels: 4×4 scalar, 6×16 AVX2, 12×32 AVX-512, and a 16×16 AVX-512 tile for small products
    /// whose sides are multiples of 16 but not of 12 or 32 (attention over 80 positions).</summary>
    internal enum KernelKind { Scalar, Avx2, Avx512, Avx512Square }

    /// <summary>The instruction set the micro-kernel uses ("avx512", "avx2" or "scalar").</summary>
    public static string Isa => Best.ToString().ToLowerInvariant();

    /// <summary>C = alpha·op(A)·op(B) + beta·C, row-major; beta = 0 never reads C.</summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, bool parallel = true) =>
        Gemm(Best, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
            parallel && (long)m * n * k >= Compute.SerialWork ? Compute.Threads : 1);

    /// <summary>The same product on a chosen micro-kernel (tests compare them all).</summary>
    internal static void Gemm(KernelKind kind, bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, int threads)
    {
        if (!Supports(kind)) throw new NotSupportedException($"the {kind} GEMM kernel needs instructions this CPU lacks");
        if (kind == KernelKind.Avx512 && (long)m * n * k <= SquareTileLimit && m % 16 == 0 && n % 16 == 0 && (m % 12 != 0 || n % 32 != 0))
            kind = KernelKind.Avx512Square;
        var tileRows = RowsOf(kind);
        var tileCols = ColsOf(kind);
        if (m <= 0 || n <= 0) return;
        if (k <= 0 || alpha == 0)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }
        if (threads == 1 || (long)m * n * k < MinimumSplitWork)
        {
            Blocked(kind, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        // Split the longer side of C into contiguous pieces aligned to the register tile: a few per thread, so that
        // a thread that starts late (or shares its core) does not hold up the others.
        var splitRows = m / tileRows >= n / tileCols;
        var unit = splitRows ? tileRows : tileCols;
        var extent = splitRows ? m : n;
        // Every piece packs the operand it shares with the others; when that is large (a weight gradient's
        // activations), one piece per thread keeps the copying down.
        var shared = splitRows ? (long)k * n : (long)m * k;
        var pieces = shared > SharedPackLimit ? threads : (int)Math.Clamp((long)m * n * k / PieceWork, threads, threads * 4L);
        pieces = Math.Min(pieces, (extent + unit - 1) / unit);
        var step = ((extent + pieces - 1) / pieces + unit - 1) / unit * unit;
        pieces = (extent + step - 1) / step;
        var (pa, pb, pc) = ((nint)a, (nint)b, (nint)c);
        Compute.For(pieces, piece =>
        {
            var start = piece * step;
            var size = Math.Min(step, extent - start);
            var a0 = (float*)pa;
            var b0 = (float*)pb;
            var c0 = (float*)pc;
            if (splitRows)
                Blocked(kind, transA, transB, size, n, k, alpha, transA ? a0 + start : a0 + (long)start * lda, lda,
                    b0, ldb, beta, c0 + (long)start * ldc, ldc);
            else
                Blocked(kind, transA, transB, m, size, k, alpha, a0, lda, transB ? b0 + (long)start * ldb : b0 + start, ldb,
                    beta, c0 + start, ldc);
        });
    }

    private static void ScaleC(int m, int n, float beta, float* c, int ldc)
    {
        for (var i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0) row.Clear();
            else if (beta != 1) System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }

    /// <summary>Operands up to this many elements are read in place instead of packed (they sit in L1/L2 anyway).</summary>
    private const long DirectLimit = 16384;

    /// <summary>
    /// Rows further apart than this many floats are packed even when small: reading a panel straight out of a wide
    /// matrix (one head's columns of a packed projection) touches a new page every row and thrashes the TLB.
    /// </summary>
    private const int MaxDirectStride = 256;

    private static void EnsureBuffers()
    {
        if (packA != null) return;
        packA = (float*)NativeMemory.AlignedAlloc((nuint)(MCRows * DeepKC * sizeof(float)), 64);
        packB = (float*)NativeMemory.AlignedAlloc((nuint)(DeepKC * (NC + 64) * sizeof(float)), 64);
        edgeA = (float*)NativeMemory.AlignedAlloc((nuint)(16 * DeepKC * sizeof(float)), 64);
        edgeB = (float*)NativeMemory.AlignedAlloc((nuint)(DeepKC * 64 * sizeof(float)), 64);
        edgeTile = (float*)NativeMemory.AlignedAlloc((nuint)(16 * 64 * sizeof(float)), 64);
    }

    [ThreadStatic] private static float* edgeA;
    [ThreadStatic] private static float* edgeB;

    /// <summary>
    /// The blocked product on one thread. Large operands are packed into panels; small ones (a per-head attention
    /// product) are read in place by the micro-kernel through strides, with only partial edge panels packed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Blocked(KernelKind kind, bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        EnsureBuffers();
        var tileRows = RowsOf(kind);
        var tileCols = ColsOf(kind);
        var blockRows = MCRows / tileRows * tileRows;
        var directA = (long)m * k <= DirectLimit && lda <= MaxDirectStride;
        var directB = !transB && (long)k * n <= DirectLimit && ldb <= MaxDirectStride;
        var pa = packA;
        var pb = packB;
        if (!directB && k > KC && (long)k * Math.Min(n, NC) <= PrepackLimit)
        {
            BlockedPrepacked(kind, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, directA);
            return;
        }
        for (var jc = 0; jc < n; jc += NC)
        {
            var nc = Math.Min(NC, n - jc);
            var fullCols = nc / tileCols * tileCols;
            var depth = k >= DeepK ? DeepKC : KC;
            for (var pc = 0; pc < k; pc += depth)
            {
                var kc = Math.Min(depth, k - pc);
                if (!directB) PackB(tileCols, transB, b, ldb, pc, jc, kc, nc, pb);
                else if (fullCols < nc) PackB(tileCols, false, b, ldb, pc, jc + fullCols, kc, nc - fullCols, edgeB);
                var blockBeta = pc == 0 ? beta : 1f;
                for (var ic = 0; ic < m; ic += blockRows)
                {
                    var mc = Math.Min(blockRows, m - ic);
                    var fullRows = mc / tileRows * tileRows;
                    if (!directA) PackA(tileRows, transA, a, lda, ic, pc, mc, kc, pa);
                    else if (fullRows < mc) PackA(tileRows, transA, a, lda, ic + fullRows, pc, mc - fullRows, kc, edgeA);
                    for (var jr = 0; jr < nc; jr += tileCols)
                    {
                        var nr = Math.Min(tileCols, nc - jr);
                        float* bPanel;
                        nint bStep = tileCols;
                        if (!directB) bPanel = pb + (long)jr * kc;
                        else if (nr < tileCols) bPanel = edgeB;
                        else
                        {
                            bPanel = b + (long)pc * ldb + jc + jr;
                            bStep = ldb;
                        }
                        for (var ir = 0; ir < mc; ir += tileRows)
                        {
                            var mr = Math.Min(tileRows, mc - ir);
                            float* aPanel;
                            nint aRow = 1, aStep = tileRows;
                            if (!directA) aPanel = pa + (long)ir * kc;
                            else if (mr < tileRows) aPanel = edgeA;
                            else if (transA)
                            {
                                aPanel = a + (long)pc * lda + ic + ir;
                                aStep = lda;
                            }
                            else
                            {
                                aPanel = a + (long)(ic + ir) * lda + pc;
                                aRow = lda;
                                aStep = 1;
                            }
                            var cTile = c + (long)(ic + ir) * ldc + jc + jr;
                            if (mr == tileRows && nr == tileCols)
                                Kernel(kind, aPanel, aRow, aStep, bPanel, bStep, kc, cTile, ldc, alpha, blockBeta);
                            else
                                EdgeKernel(kind, tileCols, aPanel, aRow, aStep, bPanel, bStep, kc, cTile, ldc, alpha, blockBeta, mr, nr);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Largest B (k × n floats) packed whole up front.</summary>
    private const long PrepackLimit = 1 << 20;

    [ThreadStatic] private static float* packAllB;
    [ThreadStatic] private static long packAllBLength;

    /// <summary>
    /// The loop order for a deep product with a narrow B (a layer's weight): B is packed once, whole, and every
    /// block of C rows then runs through all of K while it stays in cache, instead of C being swept once per K block.
    /// </summary>
    private static void BlockedPrepacked(KernelKind kind, bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc, bool directA)
    {
        var tileCols = ColsOf(kind);
        for (var jc = 0; jc < n; jc += NC)
        {
            var nc = Math.Min(NC, n - jc);
            var padded = (nc + tileCols - 1) / tileCols * tileCols;
            var needed = (long)padded * k;
            if (packAllBLength < needed)
            {
                if (packAllB != null) NativeMemory.AlignedFree(packAllB);
                packAllB = (float*)NativeMemory.AlignedAlloc((nuint)(needed * sizeof(float)), 64);
                packAllBLength = needed;
            }
            var all = packAllB;
            for (var pc = 0; pc < k; pc += KC)
                PackB(tileCols, transB, b, ldb, pc, jc, Math.Min(KC, k - pc), nc, all + (long)pc * padded);
            PrepackedBlock(kind, transA, m, k, alpha, a, lda, all, padded, 0, nc, beta, c + jc, ldc, directA);
        }
    }

    /// <summary>
    /// Columns [j0, j1) of one NC-wide block of C (c points at the block's first column) from a whole packed B block:
    /// KC-deep slabs of <paramref name="padded"/> columns each, NR-column panels within a slab.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PrepackedBlock(KernelKind kind, bool transA, int m, int k, float alpha, float* a, int lda,
        float* all, int padded, int j0, int j1, float beta, float* c, int ldc, bool directA)
    {
        var tileRows = RowsOf(kind);
        var tileCols = ColsOf(kind);
        var blockRows = MCRows / tileRows * tileRows;
        var pa = packA;
        for (var ic = 0; ic < m; ic += blockRows)
        {
            var mc = Math.Min(blockRows, m - ic);
            var fullRows = mc / tileRows * tileRows;
            // Leftover rows that a short kernel covers exactly are read in place too, not padded into a panel.
            var edgeDirect = directA && fullRows < mc && ShortKernelCovers(kind, mc - fullRows);
            for (var pc = 0; pc < k; pc += KC)
            {
                var kc = Math.Min(KC, k - pc);
                var blockBeta = pc == 0 ? beta : 1f;
                if (!directA) PackA(tileRows, transA, a, lda, ic, pc, mc, kc, pa);
                else if (fullRows < mc && !edgeDirect) PackA(tileRows, transA, a, lda, ic + fullRows, pc, mc - fullRows, kc, edgeA);
                var bBlock = all + (long)pc * padded;
                for (var jr = j0; jr < j1; jr += tileCols)
                {
                    var nr = Math.Min(tileCols, j1 - jr);
                    var bPanel = bBlock + (long)jr * kc;
                    for (var ir = 0; ir < mc; ir += tileRows)
                    {
                        var mr = Math.Min(tileRows, mc - ir);
                        float* aPanel;
                        nint aRow = 1, aStep = tileRows;
                        if (!directA) aPanel = pa + (long)ir * kc;
                        else if (mr < tileRows && !edgeDirect) aPanel = edgeA;
                        else if (transA)
                        {
                            aPanel = a + (long)pc * lda + ic + ir;
                            aStep = lda;
                        }
                        else
                        {
                            aPanel = a + (long)(ic + ir) * lda + pc;
                            aRow = lda;
                            aStep = 1;
                        }
                        var cTile = c + (long)(ic + ir) * ldc + jr;
                        if (mr == tileRows && nr == tileCols)
                            Kernel(kind, aPanel, aRow, aStep, bPanel, tileCols, kc, cTile, ldc, alpha, blockBeta, PrefetchAhead);
                        else
                            EdgeKernel(kind, tileCols, aPanel, aRow, aStep, bPanel, tileCols, kc, cTile, ldc, alpha, blockBeta, mr, nr, PrefetchAhead);
                    }
                }
            }
        }
    }

    /// <summary>Floats a whole packed op(B) of k × n takes (see <see cref="PackWhole"/>).</summary>
    internal static long PackedLength(KernelKind kind, int k, int n)
    {
        var tileCols = ColsOf(kind);
        long total = 0;
        for (var jc = 0; jc < n; jc += NC) total += (long)((Math.Min(NC, n - jc) + tileCols - 1) / tileCols * tileCols) * k;
        return total;
    }

    /// <summary>
    /// Packs all of op(B) (k × n) for <see cref="GemmPrepacked"/>: NC-wide column blocks one after another, each as
    /// <see cref="BlockedPrepacked"/> lays it out. The layout depends on the micro-kernel.
    /// </summary>
    internal static void PackWhole(KernelKind kind, bool transB, float* b, int ldb, int k, int n, float* dst)
    {
        var tileCols = ColsOf(kind);
        for (var jc = 0; jc < n; jc += NC)
        {
            var nc = Math.Min(NC, n - jc);
            var padded = (nc + tileCols - 1) / tileCols * tileCols;
            for (var pc = 0; pc < k; pc += KC)
                PackB(tileCols, transB, b, ldb, pc, jc, Math.Min(KC, k - pc), nc, dst + (long)pc * padded);
            dst += (long)padded * k;
        }
    }

    /// <summary>
    /// C = alpha·op(A)·B + beta·C with B already packed by <see cref="PackWhole"/> for the same kernel: nothing of B
    /// is copied, which is what a few rows against a layer's weight (decoding) mostly spend their time on otherwise.
    /// Pieces share the packed B; each output is summed in the same order whatever the split.
    /// </summary>
    internal static void GemmPrepacked(KernelKind kind, bool transA, int m, int n, int k, float alpha, float* a, int lda,
        float* packed, float beta, float* c, int ldc, int threads)
    {
        if (!Supports(kind)) throw new NotSupportedException($"the {kind} GEMM kernel needs instructions this CPU lacks");
        if (m <= 0 || n <= 0) return;
        if (k <= 0 || alpha == 0)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }
        var tileRows = RowsOf(kind);
        var tileCols = ColsOf(kind);
        if (threads == 1 || (long)m * n * k < MinimumSplitWork)
        {
            PrepackedRange(kind, transA, 0, m, 0, n, n, k, alpha, a, lda, packed, beta, c, ldc);
            return;
        }
        var splitRows = m >= tileRows * threads * 2;
        var unit = splitRows ? tileRows : tileCols;
        var extent = splitRows ? m : n;
        var pieces = (int)Math.Clamp((long)m * n * k / PieceWork, threads, threads * 4L);
        pieces = Math.Min(pieces, (extent + unit - 1) / unit);
        var step = ((extent + pieces - 1) / pieces + unit - 1) / unit * unit;
        pieces = (extent + step - 1) / step;
        var (pa, pp, pc) = ((nint)a, (nint)packed, (nint)c);
        Compute.For(pieces, piece =>
        {
            var start = piece * step;
            var end = Math.Min(extent, start + step);
            if (splitRows) PrepackedRange(kind, transA, start, end, 0, n, n, k, alpha, (float*)pa, lda, (float*)pp, beta, (float*)pc, ldc);
            else PrepackedRange(kind, transA, 0, m, start, end, n, k, alpha, (float*)pa, lda, (float*)pp, beta, (float*)pc, ldc);
        });
    }

    /// <summary>Rows [i0, i1) and columns [j0, j1) (j0 a multiple of the tile width) of a prepacked product of n columns, on this thread.</summary>
    private static void PrepackedRange(KernelKind kind, bool transA, int i0, int i1, int j0, int j1, int n, int k, float alpha,
        float* a, int lda, float* packed, float beta, float* c, int ldc)
    {
        EnsureBuffers();
        var tileCols = ColsOf(kind);
        var m = i1 - i0;
        var rowsA = transA ? a + i0 : a + (long)i0 * lda;
        var rowsC = c + (long)i0 * ldc;
        // A handful of rows (decoding) is read in place even from wide rows: a few streams, a few pages.
        var directA = (long)m * k <= DirectLimit && lda <= MaxDirectStride
            || !transA && m <= FewRows && (long)m * k <= 4 * DirectLimit;
        var block = packed;
        for (var jc = 0; jc < j1; jc += NC)
        {
            var nc = Math.Min(NC, n - jc);
            var padded = (nc + tileCols - 1) / tileCols * tileCols;
            var from = Math.Max(j0, jc) - jc;
            var to = Math.Min(j1, jc + nc) - jc;
            if (from < to)
                PrepackedBlock(kind, transA, m, k, alpha, rowsA, lda, block, padded, from, to, beta, rowsC + jc, ldc, directA);
            block += (long)padded * k;
        }
    }

    /// <summary>A partial tile: the full kernel writes into scratch, then the valid corner merges into C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EdgeKernel(KernelKind kind, int tileCols, float* aPanel, nint aRow, nint aStep, float* bPanel, nint bStep,
        int kc, float* c, int ldc, float alpha, float beta, int mr, int nr, nint ahead = 0)
    {
        var tile = edgeTile;
        if (kind == KernelKind.Avx512 && mr <= 8)
        {
            // A few rows (a single decoding row, the last rows of a beam): a shorter kernel skips most of the padding.
            if (nr == tileCols)
            {
                ShortKernel32(mr, aPanel, aRow, aStep, bPanel, bStep, kc, c, ldc, alpha, beta, ahead);
                return;
            }
            ShortKernel32(mr, aPanel, aRow, aStep, bPanel, bStep, kc, tile, tileCols, alpha, 0f, ahead);
        }
        else
            Kernel(kind, aPanel, aRow, aStep, bPanel, bStep, kc, tile, tileCols, alpha, 0f, ahead);
        for (var i = 0; i < mr; i++)
        {
            var src = tile + i * tileCols;
            var dst = c + (long)i * ldc;
            if (beta == 0)
                for (var j = 0; j < nr; j++) dst[j] = src[j];
            else
                for (var j = 0; j < nr; j++) dst[j] = src[j] + beta * dst[j];
        }
    }

    /// <summary>Packs op(A)[ic.., pc..] as MR-row panels laid out k-major (MR values per k), zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(int mr, bool transA, float* a, int lda, int ic, int pc, int mc, int kc, float* dst)
    {
        var panels = (mc + mr - 1) / mr;
        if (transA)
        {
            // op(A)(i, p) = A[p, i]: one source row holds this k for every panel; read it once, contiguously.
            for (var p = 0; p < kc; p++)
            {
                var src = a + (long)(pc + p) * lda + ic;
                for (var panel = 0; panel < panels; panel++)
                {
                    var rows = Math.Min(mr, mc - panel * mr);
                    var d = dst + (long)panel * mr * kc + p * mr;
                    var s = src + panel * mr;
                    if (rows == 12 && Avx.IsSupported)
                    {
                        Avx.Store(d, Avx.LoadVector256(s));
                        Sse.Store(d + 8, Sse.LoadVector128(s + 8));
                        continue;
                    }
                    var r = 0;
                    for (; r < rows; r++) d[r] = s[r];
                    for (; r < mr; r++) d[r] = 0;
                }
            }
            return;
        }
        for (var panel = 0; panel < panels; panel++)
        {
            var rows = Math.Min(mr, mc - panel * mr);
            var d = dst + (long)panel * mr * kc;
            var src = a + (long)(ic + panel * mr) * lda + pc;
            if (rows == mr && Avx.IsSupported)
            {
                PackRowsTransposed(src, lda, mr, kc, d);
                continue;
            }
            // k outermost: the panel is written sequentially while the mr source rows stream side by side.
            for (var p = 0; p < kc; p++)
            {
                var r = 0;
                for (; r < rows; r++) d[r] = src[(long)r * lda + p];
                for (; r < mr; r++) d[r] = 0;
                d += mr;
            }
        }
    }

    /// <summary>
    /// A full panel of mr rows: d[p·mr + r] = src[r·lda + p], by 8×8 and 4×4 register transposes over row groups
    /// (rows stream contiguously, the panel is written in vector stores) with scalar edges.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackRowsTransposed(float* src, int lda, int mr, int kc, float* d)
    {
        var r = 0;
        for (; r + 8 <= mr; r += 8)
        {
            var p = 0;
            for (; p + 8 <= kc; p += 8) MatrixCopy.Block8x8(src + (long)r * lda + p, lda, d + p * mr + r, mr);
            for (; p < kc; p++)
                for (var i = r; i < r + 8; i++) d[p * mr + i] = src[(long)i * lda + p];
        }
        for (; r + 4 <= mr; r += 4)
        {
            var p = 0;
            for (; p + 4 <= kc; p += 4) MatrixCopy.Block4x4(src + (long)r * lda + p, lda, d + p * mr + r, mr);
            for (; p < kc; p++)
                for (var i = r; i < r + 4; i++) d[p * mr + i] = src[(long)i * lda + p];
        }
        for (; r < mr; r++)
            for (var p = 0; p < kc; p++) d[p * mr + r] = src[(long)r * lda + p];
    }

    /// <summary>Packs op(B)[pc.., jc..] as NR-column panels laid out k-major (NR values per k), zero-padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(int nr, bool transB, float* b, int ldb, int pc, int jc, int kc, int nc, float* dst)
    {
        for (var jr = 0; jr < nc; jr += nr)
        {
            var cols = Math.Min(nr, nc - jr);
            var panel = dst + (long)jr * kc;
            if (transB && cols == nr && nr % 8 == 0 && Avx.IsSupported)
            {
                // op(B)(p, j) = B[j, p]: transpose 8×8 blocks in registers.
                var p0 = 0;
                for (; p0 + 8 <= kc; p0 += 8)
                    for (var j = 0; j < nr; j += 8)
                        MatrixCopy.Block8x8(b + (long)(jc + jr + j) * ldb + pc + p0, ldb, panel + p0 * nr + j, nr);
                for (; p0 < kc; p0++)
                    for (var j = 0; j < nr; j++)
                        panel[p0 * nr + j] = b[(long)(jc + jr + j) * ldb + pc + p0];
            }
            else if (transB)
            {
                // op(B)(p, j) = B[j, p]: read each source row contiguously, scatter with stride NR.
                for (var j = 0; j < cols; j++)
                {
                    var src = b + (long)(jc + jr + j) * ldb + pc;
                    var d = panel + j;
                    for (var p = 0; p < kc; p++) d[p * nr] = src[p];
                }
                for (var j = cols; j < nr; j++)
                {
                    var d = panel + j;
                    for (var p = 0; p < kc; p++) d[p * nr] = 0;
                }
            }
            else if (cols == nr && nr == 32 && Vector512.IsHardwareAccelerated)
            {
                for (var p = 0; p < kc; p++)
                {
                    var src = b + (long)(pc + p) * ldb + jc + jr;
                    Vector512.Store(Vector512.Load(src), panel + p * 32);
                    Vector512.Store(Vector512.Load(src + 16), panel + p * 32 + 16);
                }
            }
            else if (cols == nr)
            {
                for (var p = 0; p < kc; p++)
                    new ReadOnlySpan<float>(b + (long)(pc + p) * ldb + jc + jr, nr).CopyTo(new Span<float>(panel + p * nr, nr));
            }
            else
            {
                for (var p = 0; p < kc; p++)
                {
                    var src = b + (long)(pc + p) * ldb + jc + jr;
                    var d = panel + p * nr;
                    var j = 0;
                    for (; j < cols; j++) d[j] = src[j];
                    for (; j < nr; j++) d[j] = 0;
                }
            }
        }
    }

    /// <summary>
    /// C tile = alpha·A·B + beta·C for a full register tile. A(r, p) is read at a[r·aRow + p·aStep] (a packed panel,
    /// a transposed matrix or a plain row-major one); B(p, j) at b[p·bStep + j], columns contiguous.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel(KernelKind kind, float* a, nint aRow, nint aStep, float* b, nint bStep, int kc, float* c, int ldc, float alpha, float beta,
        nint ahead = 0)
    {
        switch (kind)
        {
            case KernelKind.Avx512: Kernel12x32(a, aRow, aStep, b, bStep, kc, c, ldc, alpha, beta, ahead); break;
            case KernelKind.Avx512Square: Kernel16x16(a, aRow, aStep, b, bStep, kc, c, ldc, alpha, beta); break;
            case KernelKind.Avx2: Kernel6x16(a, aRow, aStep, b, bStep, kc, c, ldc, alpha, beta); break;
            default: Kernel4x4(a, aRow, aStep, b, bStep, kc, c, ldc, alpha, beta); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* c, Vector512<float> acc, float alpha, float beta)
    {
        if (alpha != 1) acc *= Vector512.Create(alpha);
        if (beta == 0) Vector512.Store(acc, c);
        else Vector512.Store(Avx512F.FusedMultiplyAdd(Vector512.Load(c), Vector512.Create(beta), acc), c);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* c, Vector256<float> acc, float alpha, float beta)
    {
        if (alpha != 1) acc *= Vector256.Create(alpha);
        if (beta == 0) Vector256.Store(acc, c);
        else Vector256.Store(Fma.MultiplyAdd(Vector256.Load(c), Vector256.Create(beta), acc), c);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel12x32(float* a, nint rs, nint ks, float* b, nint bs, int kc, float* c, int ldc, float alpha, float beta, nint ahead = 0)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        // Rows 0-5 from a, rows 6-11 from a6, each at multiples of the row stride.
        var a6 = a + 6 * rs;
        nint r2 = 2 * rs, r3 = 3 * rs, r4 = 4 * rs, r5 = 5 * rs;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            if (ahead != 0)
            {
                Sse.Prefetch0(b + ahead);
                Sse.Prefetch0(b + ahead + 16);
            }
            var x = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[rs]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[r2]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[r3]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[r4]);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[r5]);
            c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a6[0]);
            c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a6[rs]);
            c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
            x = Vector512.Create(a6[r2]);
            c80 = Avx512F.FusedMultiplyAdd(x, b0, c80); c81 = Avx512F.FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(a6[r3]);
            c90 = Avx512F.FusedMultiplyAdd(x, b0, c90); c91 = Avx512F.FusedMultiplyAdd(x, b1, c91);
            x = Vector512.Create(a6[r4]);
            ca0 = Avx512F.FusedMultiplyAdd(x, b0, ca0); ca1 = Avx512F.FusedMultiplyAdd(x, b1, ca1);
            x = Vector512.Create(a6[r5]);
            cb0 = Avx512F.FusedMultiplyAdd(x, b0, cb0); cb1 = Avx512F.FusedMultiplyAdd(x, b1, cb1);
            a += ks;
            a6 += ks;
            b += bs;
        }
        Store512(c, c00, alpha, beta); Store512(c + 16, c01, alpha, beta); c += ldc;
        Store512(c, c10, alpha, beta); Store512(c + 16, c11, alpha, beta); c += ldc;
        Store512(c, c20, alpha, beta); Store512(c + 16, c21, alpha, beta); c += ldc;
        Store512(c, c30, alpha, beta); Store512(c + 16, c31, alpha, beta); c += ldc;
        Store512(c, c40, alpha, beta); Store512(c + 16, c41, alpha, beta); c += ldc;
        Store512(c, c50, alpha, beta); Store512(c + 16, c51, alpha, beta); c += ldc;
        Store512(c, c60, alpha, beta); Store512(c + 16, c61, alpha, beta); c += ldc;
        Store512(c, c70, alpha, beta); Store512(c + 16, c71, alpha, beta); c += ldc;
        Store512(c, c80, alpha, beta); Store512(c + 16, c81, alpha, beta); c += ldc;
        Store512(c, c90, alpha, beta); Store512(c + 16, c91, alpha, beta); c += ldc;
        Store512(c, ca0, alpha, beta); Store512(c + 16, ca1, alpha, beta); c += ldc;
        Store512(c, cb0, alpha, beta); Store512(c + 16, cb1, alpha, beta);
    }

    /// <summary>
    /// Up to 8 rows of a 32-column AVX-512 tile, storing only the first <paramref name="rows"/> rows of C. A is a
    /// zero-padded panel (or any operand with at least 4 or 8 readable rows), so the unused rows read zeros.
    /// </summary>
    private static void ShortKernel32(int rows, float* a, nint rs, nint ks, float* b, nint bs, int kc, float* c, int ldc, float alpha, float beta, nint ahead)
    {
        if (rows == 1) Kernel1x32(a, ks, b, bs, kc, c, alpha, beta, ahead);
        else if (rows <= 4) Kernel4x32(rows, a, rs, ks, b, bs, kc, c, ldc, alpha, beta, ahead);
        else Kernel8x32(rows, a, rs, ks, b, bs, kc, c, ldc, alpha, beta, ahead);
    }

    /// <summary>Whether <see cref="ShortKernel32"/> reads exactly this many rows of A (so they need no padding).</summary>
    private static bool ShortKernelCovers(KernelKind kind, int rows) => kind == KernelKind.Avx512 && rows is 1 or 4 or 8;

    /// <summary>Rows up to which the prepacked product reads A in place whatever its row stride.</summary>
    private const int FewRows = 32;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel1x32(float* a, nint ks, float* b, nint bs, int kc, float* c, float alpha, float beta, nint ahead)
    {
        Vector512<float> c0 = default, c1 = default;
        for (var p = 0; p < kc; p++)
        {
            if (ahead != 0)
            {
                Sse.Prefetch0(b + ahead);
                Sse.Prefetch0(b + ahead + 16);
            }
            var x = Vector512.Create(a[0]);
            c0 = Avx512F.FusedMultiplyAdd(x, Vector512.Load(b), c0);
            c1 = Avx512F.FusedMultiplyAdd(x, Vector512.Load(b + 16), c1);
            a += ks;
            b += bs;
        }
        Store512(c, c0, alpha, beta);
        Store512(c + 16, c1, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x32(int rows, float* a, nint rs, nint ks, float* b, nint bs, int kc, float* c, int ldc, float alpha, float beta, nint ahead)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        var a4 = a + 4 * rs;
        nint r2 = 2 * rs, r3 = 3 * rs;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            if (ahead != 0)
            {
                Sse.Prefetch0(b + ahead);
                Sse.Prefetch0(b + ahead + 16);
            }
            var x = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[rs]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[r2]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[r3]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a4[0]);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a4[rs]);
            c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a4[r2]);
            c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a4[r3]);
            c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
            a += ks;
            a4 += ks;
            b += bs;
        }
        Store512(c, c00, alpha, beta); Store512(c + 16, c01, alpha, beta);
        if (rows < 2) return;
        c += ldc; Store512(c, c10, alpha, beta); Store512(c + 16, c11, alpha, beta);
        if (rows < 3) return;
        c += ldc; Store512(c, c20, alpha, beta); Store512(c + 16, c21, alpha, beta);
        if (rows < 4) return;
        c += ldc; Store512(c, c30, alpha, beta); Store512(c + 16, c31, alpha, beta);
        if (rows < 5) return;
        c += ldc; Store512(c, c40, alpha, beta); Store512(c + 16, c41, alpha, beta);
        if (rows < 6) return;
        c += ldc; Store512(c, c50, alpha, beta); Store512(c + 16, c51, alpha, beta);
        if (rows < 7) return;
        c += ldc; Store512(c, c60, alpha, beta); Store512(c + 16, c61, alpha, beta);
        if (rows < 8) return;
        c += ldc; Store512(c, c70, alpha, beta); Store512(c + 16, c71, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x32(int rows, float* a, nint rs, nint ks, float* b, nint bs, int kc, float* c, int ldc, float alpha, float beta, nint ahead)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        nint r2 = 2 * rs, r3 = 3 * rs;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            if (ahead != 0)
            {
                Sse.Prefetch0(b + ahead);
                Sse.Prefetch0(b + ahead + 16);
            }
            var x = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[rs]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[r2]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[r3]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            a += ks;
            b += bs;
        }
        Store512(c, c00, alpha, beta); Store512(c + 16, c01, alpha, beta);
        if (rows < 2) return;
        c += ldc; Store512(c, c10, alpha, beta); Store512(c + 16, c11, alpha, beta);
        if (rows < 3) return;
        c += ldc; Store512(c, c20, alpha, beta); Store512(c + 16, c21, alpha, beta);
        if (rows < 4) return;
        c += ldc; Store512(c, c30, alpha, beta); Store512(c + 16, c31, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel16x16(float* a, nint rs, nint ks, float* b, nint bs, int kc, float* c, int ldc, float alpha, float beta)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        Vector512<float> c8 = default, c9 = default, ca = default, cb = default, cc = default, cd = default, ce = default, cf = default;
        var a8 = a + 8 * rs;
        nint r2 = 2 * rs, r3 = 3 * rs, r4 = 4 * rs, r5 = 5 * rs, r6 = 6 * rs, r7 = 7 * rs;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[rs]), b0, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r2]), b0, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r3]), b0, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r4]), b0, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r5]), b0, c5);
            c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r6]), b0, c6);
            c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[r7]), b0, c7);
            c8 = Avx512F.FusedMultiplyAdd(Vector512.Create(a8[0]), b0, c8);
            c9 = Avx512F.FusedMultiplyAdd(Vector512.Create(a8[rs]), b0, c9);
            ca = Avx512F.FusedMultiplyAdd(Vector512.Create(a8[r2]), b0, ca);
            cb = Avx512F.FusedMultiplyAdd(Vector512.Create(a8[r3]), b0, cb);
            cc = Avx512F.FusedMultiplyAdd(Vector512.Create(a8[r4]), b0, cc);
            cd = Avx512F.FusedMultiplyAdd(Vector512.Create(a8[r5]), b0, cd);
            ce = Avx512F.FusedMultiplyAdd(Vector512.Create(a8[r6]), b0, ce);
            cf = Avx512F.FusedMultiplyAdd(Vector512.Create(a8[r7]), b0, cf);
            a += ks;
            a8 += ks;
            b += bs;
        }
        Store512(c, c0, alpha, beta); c += ldc; Store512(c, c1, alpha, beta); c += ldc;
        Store512(c, c2, alpha, beta); c += ldc; Store512(c, c3, alpha, beta); c += ldc;
        Store512(c, c4, alpha, beta); c += ldc; Store512(c, c5, alpha, beta); c += ldc;
        Store512(c, c6, alpha, beta); c += ldc; Store512(c, c7, alpha, beta); c += ldc;
        Store512(c, c8, alpha, beta); c += ldc; Store512(c, c9, alpha, beta); c += ldc;
        Store512(c, ca, alpha, beta); c += ldc; Store512(c, cb, alpha, beta); c += ldc;
        Store512(c, cc, alpha, beta); c += ldc; Store512(c, cd, alpha, beta); c += ldc;
        Store512(c, ce, alpha, beta); c += ldc; Store512(c, cf, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(float* a, nint rs, nint ks, float* b, nint bs, int kc, float* c, int ldc, float alpha, float beta)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        nint r2 = 2 * rs, r3 = 3 * rs, r4 = 4 * rs, r5 = 5 * rs;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[rs]);
            c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[r2]);
            c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[r3]);
            c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[r4]);
            c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[r5]);
            c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
            a += ks;
            b += bs;
        }
        Store256(c, c00, alpha, beta); Store256(c + 8, c01, alpha, beta); c += ldc;
        Store256(c, c10, alpha, beta); Store256(c + 8, c11, alpha, beta); c += ldc;
        Store256(c, c20, alpha, beta); Store256(c + 8, c21, alpha, beta); c += ldc;
        Store256(c, c30, alpha, beta); Store256(c + 8, c31, alpha, beta); c += ldc;
        Store256(c, c40, alpha, beta); Store256(c + 8, c41, alpha, beta); c += ldc;
        Store256(c, c50, alpha, beta); Store256(c + 8, c51, alpha, beta);
    }

    private static void Kernel4x4(float* a, nint rs, nint ks, float* b, nint bs, int kc, float* c, int ldc, float alpha, float beta)
    {
        var acc = stackalloc float[16];
        for (var i = 0; i < 16; i++) acc[i] = 0;
        for (var p = 0; p < kc; p++)
        {
            for (var i = 0; i < 4; i++)
            {
                var x = a[i * rs];
                for (var j = 0; j < 4; j++) acc[i * 4 + j] += x * b[j];
            }
            a += ks;
            b += bs;
        }
        for (var i = 0; i < 4; i++)
        for (var j = 0; j < 4; j++)
            c[i * ldc + j] = beta == 0 ? alpha * acc[i * 4 + j] : alpha * acc[i * 4 + j] + beta * c[i * ldc + j];
    }
}
