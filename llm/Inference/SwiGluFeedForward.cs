using System.Runtime.InteropServices;
using Mender.Llm.Kernels;

namespace Mender.Llm.Inference;

/// <summary>
/// The SwiGLU feed-forward block: y = W_down·(silu(W_gate·n) ⊙ W_up·n). The gate and up products are computed and
/// combined in one parallel pass. Its activations are the widest of the model (n_ff per token), so long batches go
/// through it in slices of <see cref="Slice"/> tokens, which keeps those buffers small and still gives the tiled
/// kernels many tokens per weight panel.
/// </summary>
internal sealed unsafe class SwiGluFeedForward : IDisposable
{
    public const int Slice = 128;

    private readonly MatMul _matmul;
    private readonly int _width;
    private readonly int _slice;
    private float* _gate;
    private float* _up;

    public SwiGluFeedForward(ModelConfig config, MatMul matmul, int maxTokens)
    {
        _matmul = matmul;
        _width = config.FeedForwardLength;
        _slice = Math.Min(maxTokens, Slice);
        _gate = (float*)NativeMemory.AlignedAlloc((nuint)((long)_slice * _width * sizeof(float)), 64);
        _up = (float*)NativeMemory.AlignedAlloc((nuint)((long)_slice * _width * sizeof(float)), 64);
    }

    /// <summary>The largest number of activations one product takes (for sizing the shared multiplier).</summary>
    public static long MaxActivations(ModelConfig config, int maxTokens) => (long)Math.Min(maxTokens, Slice) * config.FeedForwardLength;

    /// <summary>
    /// Rows of <paramref name="output"/> = FFN(rows of <paramref name="input"/>), n_embd wide; output may be the input.
    /// </summary>
    public void Apply(float* input, int tokens, LayerWeights w, float* output)
    {
        var dim = w.Down.Rows;
        for (var start = 0; start < tokens; start += _slice)
        {
            var count = Math.Min(_slice, tokens - start);
            _matmul.MultiplyGated(input + (long)start * dim, count, w.Gate, w.Up, _gate, _up);
            _matmul.Multiply(_gate, count, w.Down, output + (long)start * dim);
        }
    }

    public void Dispose()
    {
        NativeMemory.AlignedFree(_gate);
        NativeMemory.AlignedFree(_up);
        _gate = _up = null;
    }
}
