using Mender.Numerics.Tensors;

namespace Mender.Numerics.Autograd;

/// <summary>
/// The reverse-mode tape and the scope of a step's temporary buffers. While a tape is current (between creation and
/// Dispose, on its thread), every operation takes its result buffer from the pool and, when recording and an input
/// requires a gradient, appends a backward step. <see cref="Backward"/> replays the steps in reverse, accumulating
/// into each leaf's <see cref="Tensor.Grad"/> and freeing intermediates as soon as nothing later needs them.
/// Dispose returns every remaining buffer to the pool, so copy out anything you want to keep first.
/// <code>
/// using (var tape = Tape.Record()) { var loss = ...; tape.Backward(loss); }   // training step
/// using (Tape.NoGrad()) { var logits = model.Forward(...); ... }            // inference, pooled buffers
/// </code>
/// </summary>
public sealed class Tape : IDisposable
{
    [ThreadStatic] private static Tape? current;

    private readonly Tape? parent;
    private readonly List<Node> nodes = [];
    private readonly List<Tensor> owned = [];
    private bool backwardDone;
    private bool disposed;

    private Tape(bool recording)
    {
        IsRecording = recording;
        parent = current;
        current = this;
    }

    /// <summary>Starts recording operations for Backward.</summary>
    public static Tape Record() => new(true);

    /// <summary>Inference mode: nothing is recorded, buffers are still pooled and returned at Dispose.</summary>
    public static Tape NoGrad() => new(false);

    /// <summary>The innermost tape on this thread, or null.</summary>
    public static Tape? Current => current;

    /// <summary>Whether operations on this thread are being recorded right now.</summary>
    public static bool IsGradEnabled => current is { IsRecording: true };

    /// <summary>False for a <see cref="NoGrad"/> tape, which only pools buffers.</summary>
    public bool IsRecording { get; }

    /// <summary>Number of recorded backward steps (for tests and diagnostics).</summary>
    public int NodeCount => nodes.Count;

    /// <summary>A pooled copy of input data whose buffer this tape returns at Dispose.</summary>
    public Tensor Input(ReadOnlySpan<float> values, params int[] shape)
    {
        ThrowIfDisposed();
        var length = ShapeOps.Length(shape);
        if (values.Length != length)
            throw new ArgumentException($"{values.Length} values cannot fill shape {ShapeOps.Format(shape)} ({length} elements)");
        var t = new Tensor(TensorStorage.Rent(length), 0, (int[])shape.Clone());
        values.CopyTo(t.Span);
        owned.Add(t);
        return t;
    }

    /// <summary>An operation's result: pooled, transient gradient, released with the tape.</summary>
    internal void Own(Tensor tensor)
    {
        tensor.MarkIntermediate();
        owned.Add(tensor);
    }

    /// <summary>Whether an operation with these inputs must record a backward step.</summary>
    internal static bool ShouldRecord(Tensor a) => current is { IsRecording: true } && a.RequiresGrad;

    internal static bool ShouldRecord(Tensor a, Tensor b) => current is { IsRecording: true } && (a.RequiresGrad || b.RequiresGrad);

    internal static bool ShouldRecord(Tensor a, Tensor? b, Tensor? c) =>
        current is { IsRecording: true } && (a.RequiresGrad || b?.RequiresGrad == true || c?.RequiresGrad == true);

    /// <summary>
    /// Appends the backward step of an operation that produced <paramref name="output"/>. The step runs only if a
    /// gradient reaches the output; <paramref name="saved"/> buffers are released right after it.
    /// </summary>
    internal static void Record(Tensor output, Action backward, Tensor? saved = null, Tensor? saved2 = null)
    {
        var tape = current!;
        output.RequiresGrad = true;
        tape.nodes.Add(new Node(output, backward, saved, saved2));
    }

    /// <summary>
    /// Back-propagates from a one-element tensor (seeded with <paramref name="seed"/>), adding into the gradients of
    /// every leaf that requires one. Gradients accumulate across calls until <see cref="Tensor.ZeroGrad"/> (or an
    /// optimizer's ZeroGrad) resets them, which is how gradient accumulation over micro-batches works.
    /// A tape runs Backward once.
    /// </summary>
    public void Backward(Tensor loss, float seed = 1f)
    {
        ThrowIfDisposed();
        if (!IsRecording) throw new InvalidOperationException("Backward on a NoGrad tape: nothing was recorded");
        if (backwardDone) throw new InvalidOperationException("Backward already ran on this tape; record a new tape for the next step");
        if (loss.Length != 1) throw new ArgumentException($"Backward needs a one-element loss, not {loss.Describe()}");
        if (!loss.RequiresGrad) throw new InvalidOperationException("the loss does not depend on any tensor that requires a gradient");
        backwardDone = true;
        loss.Retain();
        var g = loss.AcquireGrad(out var beta);
        g.Span[0] = beta == 0 ? seed : g.Span[0] + seed;
        var previous = current;
        current = this;
        try
        {
            for (var i = nodes.Count - 1; i >= 0; i--)
            {
                var node = nodes[i];
                if (node.Output.Grad is not null)
                    node.Backward();
                // Everything that reads this output's value or gradient ran by now (later steps come first).
                node.Output.ReleaseGrad();
                if (!node.Output.Retained) node.Output.Release();
                node.Saved?.Release();
                node.Saved2?.Release();
                nodes[i] = default;
            }
        }
        finally
        {
            current = previous;
            nodes.Clear();
        }
    }

    /// <summary>Releases the buffers the tape owns and makes the enclosing tape current again.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var t in owned) t.Release();
        owned.Clear();
        foreach (var node in nodes)
        {
            node.Saved?.Release();
            node.Saved2?.Release();
        }
        nodes.Clear();
        // Tapes nest like scopes; restore the enclosing one (tolerating out-of-order disposal).
        if (current == this) current = parent;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    private readonly record struct Node(Tensor Output, Action Backward, Tensor? Saved, Tensor? Saved2);
}
