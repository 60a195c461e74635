using Mender.Numerics.Tensors;

namespace Mender.Numerics.Autograd;

/// <summary>
/// The thread-local state of one data-parallel shard (<see cref="DataParallel"/>): the gradient buffers its backward
/// pass fills in place of the parameters' own, which the other shards are filling at the same time, and the random
/// stream its dropout masks come from, which a shared generator could not give two threads in a fixed order.
/// </summary>
internal sealed class Shard(Rng random)
{
    [ThreadStatic] private static Shard? current;

    private readonly Rng random = random;
    private readonly Dictionary<Tensor, Tensor> gradients = new(ReferenceEqualityComparer.Instance);

    /// <summary>The shard running on this thread, or null.</summary>
    public static Shard? Current => current;

    /// <summary>The key of the next dropout mask: from the stream of the shard running on this thread, if any.</summary>
    public static ulong DropoutKey(Rng rng) => (current?.random ?? rng).NextUInt64();

    /// <summary>Makes this the thread's shard until the scope is disposed.</summary>
    public Scope Enter()
    {
        var scope = new Scope(current);
        current = this;
        return scope;
    }

    /// <summary>
    /// This shard's gradient buffer for <paramref name="leaf"/> and the beta to write it with, as
    /// <see cref="Tensor.AcquireGrad"/> gives them.
    /// </summary>
    public Tensor Acquire(Tensor leaf, out float beta)
    {
        if (gradients.TryGetValue(leaf, out var gradient))
        {
            beta = 1f;
            return gradient;
        }
        gradient = new Tensor(TensorStorage.Rent(leaf.Length), 0, leaf.ShapeArray);
        gradients.Add(leaf, gradient);
        beta = 0f;
        return gradient;
    }

    /// <summary>The gradient this shard gave <paramref name="leaf"/>, or null when none reached it.</summary>
    public Tensor? GradientOf(Tensor leaf) => gradients.GetValueOrDefault(leaf);

    /// <summary>Returns the gradient buffers to the pool.</summary>
    public void Release()
    {
        foreach (var gradient in gradients.Values) gradient.Release();
        gradients.Clear();
    }

    /// <summary>Restores the thread's enclosing shard.</summary>
    public readonly struct Scope(Shard? previous) : IDisposable
    {
        public void Dispose() => current = previous;
    }
}
