using LLama.Native;

namespace Mender.Llm.Runtime;

/// <summary>Which llama.cpp build LLamaSharp loads: the best CPU build for this processor, or a GPU build when its package is present.</summary>
public enum LlmBackendKind
{
    /// <summary>CUDA, then Vulkan, when their backend packages are referenced; otherwise the CPU build.</summary>
    Auto,

    /// <summary>The CPU build for the processor's widest vector extension (noavx, avx, avx2 or avx512).</summary>
    Cpu,

    /// <summary>The CUDA build (package LLamaSharp.Backend.Cuda12); fails when it cannot load.</summary>
    Cuda,

    /// <summary>The Vulkan build (package LLamaSharp.Backend.Vulkan); fails when it cannot load.</summary>
    Vulkan,
}

/// <summary>
/// The native llama.cpp library behind LLamaSharp: chosen once per process, before the first model loads, and
/// described for <c>llm info</c> and benchmark reports. Native log lines go nowhere except errors, which are kept so
/// that a failed load can say what llama.cpp said.
/// </summary>
public static class LlmBackend
{
    private static readonly Lock Gate = new();
    private static LlmBackendKind? chosenKind;
    private static string? lastError;

    /// <summary>Chooses the backend; later calls with another kind fail, because a native library cannot be swapped once loaded.</summary>
    public static void Use(LlmBackendKind kind)
    {
        lock (Gate)
        {
            if (chosenKind is { } chosen)
            {
                if (chosen != kind)
                    throw new InvalidOperationException($"the LLM backend is already {chosen}; it cannot change to {kind} in the same process");
                return;
            }
            var config = NativeLibraryConfig.All;
            config.WithCuda(kind is LlmBackendKind.Auto or LlmBackendKind.Cuda)
                .WithVulkan(kind is LlmBackendKind.Auto or LlmBackendKind.Vulkan)
                .WithAutoFallback(kind is LlmBackendKind.Auto or LlmBackendKind.Cpu)
                .WithLogCallback(OnNativeLog);
            chosenKind = kind;
            // Loads the library now, through LLamaSharp's selection: calls that bypass it (the quantizer) would not find it.
            NativeApi.llama_empty_call();
        }
    }

    /// <summary>Makes sure a backend is chosen (Auto when nobody chose one).</summary>
    internal static void EnsureChosen()
    {
        lock (Gate)
            if (chosenKind is null) Use(LlmBackendKind.Auto);
    }

    /// <summary>The loaded build, for example "cpu-avx512" or "cuda".</summary>
    public static string Describe()
    {
        EnsureChosen();
        NativeLibraryConfig.All.DryRun(out var llama, out _);
        if (llama?.Metadata is not { } metadata) return "unknown";
        if (metadata.UseCuda) return "cuda";
        if (metadata.UseVulkan) return "vulkan";
        return metadata.AvxLevel switch
        {
            AvxLevel.Avx512 => "cpu-avx512",
            AvxLevel.Avx2 => "cpu-avx2",
            AvxLevel.Avx => "cpu-avx",
            _ => "cpu-noavx",
        };
    }

    /// <summary>The first error llama.cpp logged since the last call, for error messages; null when there was none.</summary>
    internal static string? TakeLastError()
    {
        lock (Gate)
        {
            var error = lastError;
            lastError = null;
            return error;
        }
    }

    private static void OnNativeLog(LLamaLogLevel level, string message)
    {
        var line = message.Trim();
        if (line.Length == 0) return;
        lock (Gate)
        {
            // The first error says what went wrong; the ones after it say that loading failed.
            if (level == LLamaLogLevel.Error) lastError ??= line;
        }
    }
}
