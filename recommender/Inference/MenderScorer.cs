using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;
using Mender.Recommender.Model;

namespace Mender.Recommender.Inference;

/// <summary>
/// The model as a beam-search scorer for one batch of queries. The encoder runs once per query and each decoder layer's
/// memory projection is computed once; a query's beams attend to it together as that query's rows of queries, so the
/// memory is never copied per beam. Decoding is incremental: each step feeds only the newest
/// token of every row and attends to a per-layer key/value cache, reordered to follow the beams' parents. Create it
/// inside a NoGrad tape that outlives the search (the tape holds the memory projections and the cache).
/// </summary>
internal sealed class MenderScorer : IStepScorer
{
    private readonly MenderModel model;
    private readonly Tensor[] memory;
    private readonly AttentionMask mask;
    private readonly int queries;
    private readonly int beam;
    private readonly int[] tokens;
    private readonly Tensor?[] keys;
    private readonly Tensor?[] values;
    private readonly int inner;

    public MenderScorer(MenderModel model, MenderBatch batch, Tensor? preferences, int beam)
    {
        if (model.Training) throw new InvalidOperationException("switch the model to evaluation mode before decoding");
        if (!model.Decoder.Options.NormFirst) throw new InvalidOperationException("incremental decoding follows the pre-norm decoder layer");
        this.model = model;
        this.beam = beam;
        queries = batch.Rows;
        var encoded = model.Encode(batch, preferences);
        memory = model.Decoder.ProjectMemory(encoded);
        mask = MenderModel.Mask(batch);
        tokens = new int[queries * beam];
        keys = new Tensor?[memory.Length];
        values = new Tensor?[memory.Length];
        inner = model.Config.Heads * model.Config.HeadDim;
        CodebookSizes = model.Config.CodebookSizes;
    }

    public IReadOnlyList<int> CodebookSizes { get; }

    public void Score(ReadOnlySpan<int> prefixes, ReadOnlySpan<int> parents, int rows, int step, Span<float> logProbs)
    {
        var vocabulary = model.Vocabulary;
        var perQuery = rows / queries;
        if (rows % queries != 0 || (perQuery != 1 && perQuery != beam) || (step > 0 && parents.Length != rows))
            throw new ArgumentException($"{rows} rows do not match {queries} queries with beam {beam}");
        for (var r = 0; r < rows; r++)
            tokens[r] = step == 0 ? SidVocabulary.Bos : vocabulary.Token(step - 1, prefixes[r * step + step - 1]);
        var rowParents = step == 0 ? null : parents.ToArray();
        var d = model.Config.ModelDim;

        var x = model.EmbedDecoderInput(tokens.AsSpan(0, rows), rows, 1, step);
        var layers = model.Decoder.Layers;
        for (var l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            var qkv = layer.SelfAttention.Packed!.Forward(layer.SelfAttentionNorm.Forward(x));
            var q = Ops.Slice(qkv, 2, 0, inner);
            var k = Ops.Slice(qkv, 2, inner, inner);
            var v = Ops.Slice(qkv, 2, 2 * inner, inner);
            keys[l] = rowParents is null ? k : Ops.Concat([Ops.IndexSelect(keys[l]!, rowParents), k], 1);
            values[l] = rowParents is null ? v : Ops.Concat([Ops.IndexSelect(values[l]!, rowParents), v], 1);
            // The newest token sees every cached position: causality holds by construction.
            x += layer.SelfAttention.Output.Forward(Ops.Attention(q, keys[l]!, values[l]!, model.Config.Heads));
            var cross = layer.CrossAttention.Attend(layer.CrossAttentionNorm.Forward(x).Reshape(queries, perQuery, d), memory[l], mask);
            x += cross.Reshape(rows, 1, d);
            x += layer.FeedForward.Forward(layer.FeedForwardNorm.Forward(x));
        }
        if (model.Decoder.FinalNorm is { } norm) x = norm.Forward(x);
        var logSoftmax = Ops.LogSoftmax(model.Head.Forward(x)).Span;
        var width = vocabulary.CodebookSize(step);
        var offset = vocabulary.Offset(step);
        for (var r = 0; r < rows; r++)
            logSoftmax.Slice(r * vocabulary.Size + offset, width).CopyTo(logProbs.Slice(r * width, width));
    }
}
