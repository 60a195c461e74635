using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Mender.Numerics.Kernels;

/// <summary>Matrix transposes built from 8×8 register blocks (AVX), with scalar edges.</summary>
internal static unsafe class MatrixCopy
{
    /// <summary>Copies rows×cols from rows lds apart into a dense rows×cols block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows(float* src, int rows, int cols, int lds, float* dst)
    {
        if (cols % 16 == 0 && System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated)
        {
            for (var i = 0; i < rows; i++)
            {
                var s = src + (long)i * lds;
                var d = dst + (long)i * cols;
                for (var j = 0; j < cols; j += 16)
                    System.Runtime.Intrinsics.Vector512.Store(System.Runtime.Intrinsics.Vector512.Load(s + j), d + j);
            }
            return;
        }
        for (var i = 0; i < rows; i++)
            new ReadOnlySpan<float>(src + (long)i * lds, cols).CopyTo(new Span<float>(dst + (long)i * cols, cols));
    }

    /// <summary>dst[j·ldd + i] = src[i·lds + j] for an rows×cols source.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Transposed(float* src, int rows, int cols, int lds, float* dst, int ldd)
    {
        var i = 0;
        if (Avx.IsSupported)
            for (; i + 8 <= rows; i += 8)
            {
                var j = 0;
                for (; j + 8 <= cols; j += 8) Block8x8(src + (long)i * lds + j, lds, dst + (long)j * ldd + i, ldd);
                for (; j < cols; j++)
                    for (var r = i; r < i + 8; r++) dst[(long)j * ldd + r] = src[(long)r * lds + j];
            }
        for (; i < rows; i++)
            for (var j = 0; j < cols; j++) dst[(long)j * ldd + i] = src[(long)i * lds + j];
    }

    /// <summary>dst[q·dstStride + i] = src[i·srcStride + q] for a 4×4 block (SSE unpack/move).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block4x4(float* src, nint srcStride, float* dst, nint dstStride)
    {
        var r0 = Sse.LoadVector128(src);
        var r1 = Sse.LoadVector128(src + srcStride);
        var r2 = Sse.LoadVector128(src + 2 * srcStride);
        var r3 = Sse.LoadVector128(src + 3 * srcStride);
        var t0 = Sse.UnpackLow(r0, r1);
        var t1 = Sse.UnpackLow(r2, r3);
        var t2 = Sse.UnpackHigh(r0, r1);
        var t3 = Sse.UnpackHigh(r2, r3);
        Sse.Store(dst, Sse.MoveLowToHigh(t0, t1));
        Sse.Store(dst + dstStride, Sse.MoveHighToLow(t1, t0));
        Sse.Store(dst + 2 * dstStride, Sse.MoveLowToHigh(t2, t3));
        Sse.Store(dst + 3 * dstStride, Sse.MoveHighToLow(t3, t2));
    }

    /// <summary>dst[q·dstStride + i] = src[i·srcStride + q] for an 8×8 block (AVX unpack/shuffle/permute).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Block8x8(float* src, nint srcStride, float* dst, nint dstStride)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + srcStride);
        var r2 = Avx.LoadVector256(src + 2 * srcStride);
        var r3 = Avx.LoadVector256(src + 3 * srcStride);
        var r4 = Avx.LoadVector256(src + 4 * srcStride);
        var r5 = Avx.LoadVector256(src + 5 * srcStride);
        var r6 = Avx.LoadVector256(src + 6 * srcStride);
        var r7 = Avx.LoadVector256(src + 7 * srcStride);
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(u3, u7, 0x31));
    }

}
