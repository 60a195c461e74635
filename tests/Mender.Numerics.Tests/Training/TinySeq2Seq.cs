using Mender.Numerics.Autograd;
using Mender.Numerics.Modules;
using Mender.Numerics.Operations;
using Mender.Numerics.Optim;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Tests.Training;

/// <summary>
/// A small encoder-decoder on a toy task: the decoder must emit the first <see cref="OutputLength"/> source tokens
/// in reverse. Token 0 is padding, 1 begins the decoder input.
/// </summary>
internal sealed class TinySeq2Seq : Module
{
    public const int Vocabulary = 12;
    public const int SourceLength = 6;
    public const int OutputLength = 4;
    private const int Bos = 1;

    private readonly Rng rng;
    private readonly float dropout;

    public TinySeq2Seq(ulong seed, float dropout)
    {
        rng = new Rng(seed);
        this.dropout = dropout;
        var options = new TransformerOptions { ModelDim = 16, Heads = 2, HeadDim = 8, FeedForwardDim = 32, Dropout = dropout };
        Tokens = AddModule("tokens", new Embedding(Vocabulary, 16, rng, std: 0.3f));
        Positions = AddModule("positions", new Embedding(SourceLength, 16, rng, std: 0.3f));
        Encoder = AddModule("encoder", new TransformerEncoder(options, 2, rng));
        Decoder = AddModule("decoder", new TransformerDecoder(options, 2, rng));
        Head = AddModule("head", new Linear(16, Vocabulary, rng));
    }

    public Embedding Tokens { get; }
    public Embedding Positions { get; }
    public TransformerEncoder Encoder { get; }
    public TransformerDecoder Decoder { get; }
    public Linear Head { get; }

    /// <summary>The generator the model's dropout draws from.</summary>
    public Rng Random => rng;

    /// <summary>A copy of every parameter's gradient, in parameter order.</summary>
    public float[][] Gradients() => Parameters().Select(p => p.Grad!.ToArray()).ToArray();

    /// <summary>Asserts every parameter's gradient is <paramref name="scale"/> times <paramref name="expected"/>, within float tolerance.</summary>
    public void AssertGradients(float[][] expected, float scale = 1f)
    {
        var parameters = Parameters();
        for (var p = 0; p < parameters.Count; p++)
        {
            var actual = parameters[p].Grad!.ToArray();
            for (var j = 0; j < actual.Length; j++)
            {
                var want = scale * expected[p][j];
                Assert.True(Math.Abs(actual[j] - want) <= 1e-5f + 1e-4f * Math.Abs(want), $"{parameters[p].Name}[{j}]: {actual[j]}, expected {want}");
            }
        }
    }

    /// <summary>Logits [batch·Td, vocabulary] for decoder inputs of length Td.</summary>
    public Tensor Forward(int[] source, int[] decoderInput, int batch)
    {
        var td = decoderInput.Length / batch;
        var p = Training ? dropout : 0f;
        var src = Ops.Dropout(Tokens.Forward(source, batch, SourceLength) + Positions.Forward(Enumerable.Range(0, SourceLength).ToArray()), p, rng, Training);
        var tgt = Tokens.Forward(decoderInput, batch, td) + Positions.Forward(Enumerable.Range(0, td).ToArray());
        var memory = Encoder.Forward(src);
        return Head.Forward(Decoder.Forward(tgt, memory)).Reshape(batch * td, Vocabulary);
    }

    public static (int[] Source, int[] DecoderInput, int[] Targets) Data(int count, ulong seed)
    {
        var rng = new Rng(seed);
        var source = new int[count * SourceLength];
        var input = new int[count * OutputLength];
        var targets = new int[count * OutputLength];
        for (var b = 0; b < count; b++)
        {
            for (var i = 0; i < SourceLength; i++) source[b * SourceLength + i] = 2 + rng.NextInt(Vocabulary - 2);
            for (var i = 0; i < OutputLength; i++)
            {
                targets[b * OutputLength + i] = source[b * SourceLength + OutputLength - 1 - i];
                input[b * OutputLength + i] = i == 0 ? Bos : targets[b * OutputLength + i - 1];
            }
        }
        return (source, input, targets);
    }

    /// <summary>The mean cross-entropy of rows [start, start + count) of a batch from <see cref="Data"/>.</summary>
    public Tensor Loss(int[] source, int[] input, int[] targets, int start, int count) =>
        Ops.CrossEntropy(Forward(source.AsSpan(start * SourceLength, count * SourceLength).ToArray(),
            input.AsSpan(start * OutputLength, count * OutputLength).ToArray(), count),
            targets.AsSpan(start * OutputLength, count * OutputLength));

    /// <summary>
    /// Trains for a number of AdamW steps on one batch and returns the loss of each step: the whole batch one tape, or
    /// cut into data-parallel shards of <paramref name="samplesPerShard"/> samples.
    /// </summary>
    public float[] Train(int steps, int count, ulong dataSeed, float learningRate, int samplesPerShard = int.MaxValue)
    {
        var (source, input, targets) = Data(count, dataSeed);
        var optimizer = new AdamW(Parameters(), learningRate, weightDecay: 0f);
        var losses = new float[steps];
        for (var s = 0; s < steps; s++)
        {
            losses[s] = DataParallel.Backward(optimizer.Parameters, count, rng,
                (start, rows) => Loss(source, input, targets, start, rows), samplesPerShard);
            optimizer.Step();
            optimizer.ZeroGrad();
        }
        return losses;
    }

    /// <summary>Greedy decoding in inference mode: the predicted tokens, OutputLength per source row.</summary>
    public int[] Greedy(int[] source, int batch)
    {
        var output = new int[batch * OutputLength];
        var prefix = new List<int>[batch];
        for (var b = 0; b < batch; b++) prefix[b] = [Bos];
        for (var step = 0; step < OutputLength; step++)
        {
            using var scope = Tape.NoGrad();
            var input = prefix.SelectMany(p => p).ToArray();
            var logits = Forward(source, input, batch);
            var best = Ops.ArgMax(logits);
            for (var b = 0; b < batch; b++)
            {
                var token = best[b * (step + 1) + step];
                output[b * OutputLength + step] = token;
                prefix[b].Add(token);
            }
        }
        return output;
    }
}
