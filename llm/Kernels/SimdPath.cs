using System.Runtime.Intrinsics.X86;

namespace Mender.Llm.Kernels;

/// <summary>The instruction sets a kernel may use. Every kernel has one implementation per path.</summary>
internal enum SimdPath
{
    Scalar = 0,
    Avx2 = 1,
    Avx512 = 2,
}

/// <summary>Chooses the kernel path at run time: the best the CPU supports unless a test or benchmark asks for a slower one.</summary>
internal static class KernelPaths
{
    private static volatile SimdPath s_current = Initial();

    /// <summary>The best path this CPU supports.</summary>
    public static SimdPath Best { get; } = Detect();

    /// <summary>The path kernels dispatch to now.</summary>
    public static SimdPath Current => s_current;

    /// <summary>
    /// Switches every kernel to <paramref name="path"/>, so that the AVX2 and scalar code is exercised on a machine
    /// that has AVX-512. Returns the path that was active before.
    /// </summary>
    public static SimdPath Force(SimdPath path)
    {
        if (path > Best)
            throw new ArgumentException($"this CPU does not support the {path} kernels (best is {Best})", nameof(path));
        var previous = s_current;
        s_current = path;
        return previous;
    }

    private static SimdPath Detect()
    {
        if (Avx512F.IsSupported && Avx512BW.IsSupported && Fma.IsSupported && Avx2.IsSupported)
            return SimdPath.Avx512;
        if (Avx2.IsSupported && Fma.IsSupported)
            return SimdPath.Avx2;
        return SimdPath.Scalar;
    }

    // MENDER_SIMD=scalar|avx2|avx512 caps the path for a whole process (benchmarks compare paths this way).
    private static SimdPath Initial()
    {
        var best = Detect();
        var requested = Environment.GetEnvironmentVariable("MENDER_SIMD")?.Trim().ToLowerInvariant();
        var path = requested switch
        {
            "scalar" => SimdPath.Scalar,
            "avx2" => SimdPath.Avx2,
            "avx512" => SimdPath.Avx512,
            _ => best,
        };
        return path > best ? best : path;
    }
}
