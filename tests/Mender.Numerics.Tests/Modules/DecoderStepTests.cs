using Mender.Numerics.Modules;
using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Tests.Modules;

/// <summary>Incremental decoding gives what the full forward pass gives at the same position.</summary>
public sealed class DecoderStepTests
{
    private const int D = 4;
    private const int MemoryLength = 5;

    private static TransformerDecoder Decoder(bool normFirst)
    {
        var options = new TransformerOptions
        {
            ModelDim = D, Heads = 2, HeadDim = 3, FeedForwardDim = 6, Activation = Activation.Relu, Dropout = 0.1f,
            NormFirst = normFirst, Norm = NormKind.LayerNorm,
        };
        var decoder = new TransformerDecoder(options, 2, new Rng(10));
        decoder.Eval();
        return decoder;
    }

    /// <summary>Row <paramref name="row"/> of x [B, length, D] at position t.</summary>
    private static float[] At(float[] x, int t, int length, int row) => x.AsSpan((row * length + t) * D, D).ToArray();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void StepsMatchTheForwardPassPositionByPosition(bool normFirst)
    {
        var decoder = Decoder(normFirst);
        const int rows = 2, length = 4;
        var x = Tensor.Normal(new Rng(1), 0, 1, rows, length, D);
        var memory = Tensor.Normal(new Rng(2), 0, 1, rows, MemoryLength, D);
        var mask = new AttentionMask(KeyLengths: [MemoryLength, 3]);
        var full = decoder.Forward(x, memory, mask).ToArray();

        var caches = decoder.StartDecoding(memory, mask);
        var xs = x.ToArray();
        for (var t = 0; t < length; t++)
        {
            var input = Enumerable.Range(0, rows).SelectMany(r => At(xs, t, length, r)).ToArray();
            var stepped = decoder.Step(Tensor.FromArray(input, rows, 1, D), caches).ToArray();
            var expected = Enumerable.Range(0, rows).SelectMany(r => At(full, t, length, r)).Select(v => (double)v).ToArray();
            GradientCheck.AssertClose(expected, stepped, 1e-5, $"position {t}");
        }
    }

    [Fact]
    public void BeamsThatForkContinueTheirParentsAndShareTheirQuerysMemory()
    {
        var decoder = Decoder(normFirst: true);
        const int queries = 2, beam = 2, rows = queries * beam;
        var memory = Tensor.Normal(new Rng(3), 0, 1, queries, MemoryLength, D);
        var mask = new AttentionMask(KeyLengths: [2, MemoryLength]);
        // Step 0 has one row per query; then each query's two beams, which at step 2 swap parents.
        int[][] parents = [[], [0, 0, 1, 1], [1, 0, 3, 2]];
        var inputs = parents.Select((p, t) => Tensor.Normal(new Rng(20 + (ulong)t), 0, 1, t == 0 ? queries : rows, 1, D)).ToArray();

        var caches = decoder.StartDecoding(memory, mask);
        float[] last = [];
        for (var t = 0; t < parents.Length; t++) last = decoder.Step(inputs[t], caches, parents[t]).ToArray();

        // Each final row's sequence follows its ancestry back to step 0; its query's memory is row / beam.
        var sequences = new float[rows * parents.Length * D];
        for (var r = 0; r < rows; r++)
        {
            var row = r;
            for (var t = parents.Length - 1; t >= 0; t--)
            {
                inputs[t].ToArray().AsSpan(row * D, D).CopyTo(sequences.AsSpan((r * parents.Length + t) * D, D));
                if (t > 0) row = parents[t][row];
            }
        }
        var memories = memory.ToArray();
        var repeated = Enumerable.Range(0, rows).SelectMany(r => memories.AsSpan(r / beam * MemoryLength * D, MemoryLength * D).ToArray()).ToArray();
        var full = decoder.Forward(Tensor.FromArray(sequences, rows, parents.Length, D), Tensor.FromArray(repeated, rows, MemoryLength, D),
            new AttentionMask(KeyLengths: [2, 2, MemoryLength, MemoryLength])).ToArray();
        var expected = Enumerable.Range(0, rows).SelectMany(r => At(full, parents.Length - 1, parents.Length, r)).Select(v => (double)v).ToArray();
        GradientCheck.AssertClose(expected, last, 1e-5, "forked beams");
    }

    [Fact]
    public void SteppingInTrainingModeIsRefused()
    {
        var decoder = Decoder(normFirst: true);
        decoder.Train();
        var memory = Tensor.Normal(new Rng(2), 0, 1, 1, MemoryLength, D);
        var caches = decoder.StartDecoding(memory);
        Assert.Throws<InvalidOperationException>(() => decoder.Step(Tensor.Normal(new Rng(1), 0, 1, 1, 1, D), caches));
    }
}
