using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Modules;

/// <summary>A lookup table [vocabulary, width], initialised N(0, std) (PyTorch uses std 1).</summary>
public sealed class Embedding : Module
{
    /// <summary>A table of vocabulary × width vectors drawn from N(0, std²).</summary>
    public Embedding(int vocabulary, int width, Rng rng, float std = 1f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabulary, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        Vocabulary = vocabulary;
        Width = width;
        Weight = AddParameter("weight", Tensor.Normal(rng, 0f, std, vocabulary, width));
    }

    /// <summary>The number of rows: ids run from 0 to this minus 1.</summary>
    public int Vocabulary { get; }
    /// <summary>The length of each vector.</summary>
    public int Width { get; }
    /// <summary>The table, vocabulary × width.</summary>
    public Tensor Weight { get; }

    /// <summary>Rows for the ids, shaped [..shape, width] (shape defaults to [ids.Length]).</summary>
    public Tensor Forward(ReadOnlySpan<int> ids, params int[] shape) => Ops.Embedding(Weight, ids, shape);
}
