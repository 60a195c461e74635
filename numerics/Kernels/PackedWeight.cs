using System.Runtime.CompilerServices;

namespace Mender.Numerics.Kernels;

/// <summary>
/// A layer's weight W [n, k] (PyTorch's layout) packed once into the managed GEMM's panels for products x·Wᵀ, kept
/// per weight buffer and repacked only when the buffer's version changes. Decoding runs a few rows at a time through
/// every weight, and packing (a transpose of the whole weight) costs more than such a product itself; with the packed
/// copy kept, only the product remains. Training changes the weights every step, so only inference uses it.
/// </summary>
internal sealed unsafe class PackedWeight
{
    /// <summary>Largest weight (in floats) worth a packed copy; beyond it the copy would cost more memory than it saves time.</summary>
    public const long MaxLength = 1L << 24;

    private static readonly ConditionalWeakTable<object, PackedWeight> Cache = new();

    private readonly float[] buffer;
    private readonly int start;

    private PackedWeight(ManagedGemm.KernelKind kind, int version, int offset, float* w, int n, int k)
    {
        Kind = kind;
        Version = version;
        Offset = offset;
        N = n;
        K = k;
        // Pinned, with room to start the panels on a cache line.
        var length = ManagedGemm.PackedLength(kind, k, n);
        buffer = GC.AllocateArray<float>((int)length + 16, pinned: true);
        fixed (float* p = buffer)
        {
            start = (int)((64 - (nint)p % 64) % 64 / sizeof(float));
            ManagedGemm.PackWhole(kind, true, w, k, k, n, p + start);
        }
    }

    public ManagedGemm.KernelKind Kind { get; }
    public int Version { get; }
    public int Offset { get; }
    public int N { get; }
    public int K { get; }

    /// <summary>Whether a weight of n × k floats gets a packed copy.</summary>
    public static bool Applies(int n, int k) => (long)n * k <= MaxLength && n > 0 && k > 0;

    /// <summary>
    /// The packed copy of the weight at <paramref name="w"/> ([n, k], rows contiguous), which lives at
    /// <paramref name="offset"/> in the buffer <paramref name="owner"/> whose write counter reads
    /// <paramref name="version"/>: the cached one when nothing changed since it was packed, a fresh one otherwise.
    /// One copy is kept per buffer.
    /// </summary>
    public static PackedWeight For(object owner, int version, int offset, float* w, int n, int k)
    {
        var kind = ManagedGemm.Best;
        if (Cache.TryGetValue(owner, out var cached) && cached.Version == version && cached.Offset == offset
            && cached.N == n && cached.K == k && cached.Kind == kind)
            return cached;
        var packed = new PackedWeight(kind, version, offset, w, n, k);
        Cache.AddOrUpdate(owner, packed);
        return packed;
    }

    /// <summary>y = x·Wᵀ for x [m, k] (row stride ldx), y [m, n] (row stride ldy), overwritten.</summary>
    public void Multiply(int m, float* x, int ldx, float* y, int ldy)
    {
        var threads = (long)m * N * K >= Compute.SerialWork ? Compute.Threads : 1;
        fixed (float* p = buffer)
            ManagedGemm.GemmPrepacked(Kind, false, m, N, K, 1f, x, ldx, p + start, 0f, y, ldy, threads);
    }
}
