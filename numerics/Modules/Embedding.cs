using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>A lookup table [vocabulary, width], initialised N(0, std) (PyTorch uses std 1).</summary>
public sealed class Embedding : Module
{
    public Embedding(int vocabulary, int width, Rng rng, float std = 1f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabulary, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Vocabulary = vocabulary;
        Width = width;
        Weight = AddParameter("weight", Tensor.Normal(rng, 0f, std, vocabulary, width));
    }

    public int Vocabulary { get; }
    public int Width { get; }
    public Tensor Weight { get; }

    /// <summary>Rows for the ids, shaped [..shape, width] (shape defaults to [ids.Length]).</summary>
    public Tensor Forward(ReadOnlySpan<int> ids, params int[] shape) => Ops.Embedding(Weight, ids, shape);
}
