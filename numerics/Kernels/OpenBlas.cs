using System.Runtime.InteropServices;

namespace Mender.Numerics.Kernels;

/// <summary>
/// OpenBLAS's cblas_sgemm, bound at run time so that the engine still works (on the managed kernel) where the
/// library is not installed. Debian ships it as libopenblas0-pthread.
/// </summary>
public static unsafe class OpenBlas
{
    private const int RowMajor = 101;
    private const int NoTrans = 111;
    private const int Trans = 112;

    private static readonly string[] LibraryNames =
    [
        "libopenblas.so.0", "libopenblas.so", "libopenblasp.so.0", "libopenblas.dylib", "libopenblas.dll", "openblas",
    ];

    private static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm;
    private static readonly delegate* unmanaged<int, void> SetNumThreads;
    private static readonly delegate* unmanaged<byte*> GetConfig;

    static OpenBlas()
    {
        foreach (var name in LibraryNames)
        {
            if (!NativeLibrary.TryLoad(name, out var handle)) continue;
            if (!NativeLibrary.TryGetExport(handle, "cblas_sgemm", out var sgemm))
            {
                NativeLibrary.Free(handle);
                continue;
            }
            Sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
            if (NativeLibrary.TryGetExport(handle, "openblas_set_num_threads", out var setThreads))
                SetNumThreads = (delegate* unmanaged<int, void>)setThreads;
            if (NativeLibrary.TryGetExport(handle, "openblas_get_config", out var config))
                GetConfig = (delegate* unmanaged<byte*>)config;
            LibraryName = name;
            break;
        }
        // Parallelism comes from our own workers (see Gemm); each call runs on its caller's thread.
        if (SetNumThreads != null) SetNumThreads(1);
    }

    /// <summary>True when the native OpenBLAS library loaded.</summary>
    public static bool IsAvailable => Sgemm != null;

    /// <summary>The file name that loaded, or null.</summary>
    public static string? LibraryName { get; }

    /// <summary>OpenBLAS's own build description (version, kernel target), when it exports one.</summary>
    public static string? Config => GetConfig == null ? null : Marshal.PtrToStringUTF8((nint)GetConfig());

    /// <summary>C = alpha·op(A)·op(B) + beta·C, all row-major.</summary>
    public static void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        if (!IsAvailable) throw new NotSupportedException("OpenBLAS is not loaded");
        Sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
