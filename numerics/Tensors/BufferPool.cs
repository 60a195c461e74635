namespace Mender.Numerics.Tensors;

/// <summary>
/// Reuses float buffers by exact length. A training step asks for the same shapes every time, so after the first
/// step every activation and gradient buffer comes from here and the GC sees no large allocations. Buffers are
/// pinned (pinned object heap), so kernels may hold raw pointers into them. Idle buffers are kept up to a cap
/// (<see cref="MaxIdleBytes"/>): workloads whose shapes vary from call to call (evaluation batches of uneven histories)
/// would otherwise keep one buffer per length they ever met; past the cap a returned buffer goes to the GC.
/// </summary>
public static class BufferPool
{
    private static readonly Dictionary<int, Stack<float[]>> Free = new();
    private static readonly Lock Gate = new();
    private static long pooledFloats;
    private static long allocatedFloats;
    private static long maxIdleFloats = 4L << 30 >> 2;

    /// <summary>The most bytes of idle buffers the pool keeps (default 4 GiB).</summary>
    public static long MaxIdleBytes
    {
        get => Interlocked.Read(ref maxIdleFloats) * sizeof(float);
        set => Interlocked.Exchange(ref maxIdleFloats, Math.Max(0, value) / sizeof(float));
    }

    /// <summary>An uninitialised, pinned buffer of exactly this length.</summary>
    internal static float[] Rent(int length)
    {
        if (length == 0) return [];
        lock (Gate)
        {
            if (Free.TryGetValue(length, out var stack) && stack.Count > 0)
            {
                pooledFloats -= length;
                return stack.Pop();
            }
        }
        Interlocked.Add(ref allocatedFloats, length);
        return GC.AllocateUninitializedArray<float>(length, pinned: true);
    }

    internal static void Return(float[] buffer)
    {
        if (buffer.Length == 0) return;
        lock (Gate)
        {
            if (pooledFloats + buffer.Length > maxIdleFloats)
            {
                Interlocked.Add(ref allocatedFloats, -buffer.Length);
                return;
            }
            if (!Free.TryGetValue(buffer.Length, out var stack))
                Free[buffer.Length] = stack = new Stack<float[]>();
            stack.Push(buffer);
            pooledFloats += buffer.Length;
        }
    }

    /// <summary>Bytes of buffers the pool ever created (its high-water mark while nothing is trimmed).</summary>
    public static long AllocatedBytes => Interlocked.Read(ref allocatedFloats) * sizeof(float);

    /// <summary>Drops every idle buffer (for example after training, before a long inference phase).</summary>
    public static void Trim()
    {
        lock (Gate)
        {
            Interlocked.Add(ref allocatedFloats, -pooledFloats);
            Free.Clear();
            pooledFloats = 0;
        }
    }
}
