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
        var d = model.Config.ModelDim;

        var x = model.EmbedDecoderInput(tokens.AsSpan(0, rows), rows, 1, step);
        var layers = model.Decoder.Layers;
        for (var l = 0; l < layers.Count; l++)
        {
            var layer = layers[l];
            var qkv = layer.SelfAttention.Packed!.Forward(layer.SelfAttentionNorm.Forward(x));
            var q = Ops.Slice(qkv, 2, 0, inner);
            keys[l] = Append(keys[l], parents, qkv, inner, rows, step);
            values[l] = Append(values[l], parents, qkv, 2 * inner, rows, step);
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

    /// <summary>
    /// The next step's cache [rows, step + 1, inner]: each row's parent's cached positions followed by the newest
    /// position, taken from columns [column, column + inner) of the packed projection qkv [rows, 1, 3·inner]. One copy
    /// per row, where a gather and then a concatenation would copy the cache twice.
    /// </summary>
    private Tensor Append(Tensor? cache, ReadOnlySpan<int> parents, Tensor qkv, int column, int rows, int step)
    {
        var next = Tensor.Create([rows, step + 1, inner]);
        var target = next.Span;
        var fresh = qkv.Values;
        var width = qkv.Dim(-1);
        var kept = step * inner;
        var old = step == 0 ? default : cache!.Values;
        for (var r = 0; r < rows; r++)
        {
            var row = target.Slice(r * (kept + inner), kept + inner);
            if (step > 0) old.Slice(parents[r] * kept, kept).CopyTo(row);
            fresh.Slice(r * width + column, inner).CopyTo(row[kept..]);
        }
        return next;
    }
}
