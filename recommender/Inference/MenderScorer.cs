using Mender.Numerics.Modules;
using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;
using Mender.Recommender.Model;

namespace Mender.Recommender.Inference;

/// <summary>
/// The model as a beam-search scorer for one batch of queries. The encoder runs once per query and the decoder
/// decodes incrementally (<see cref="TransformerDecoder.Step"/>): each step feeds only the newest token of every row,
/// whose layers attend to their key/value caches, reordered to follow the beams' parents, and to the query's memory,
/// projected once and shared by the query's beams. Create it inside a NoGrad tape that outlives the search (the tape
/// holds the memory projections and the caches).
/// </summary>
internal sealed class MenderScorer : IStepScorer
{
    private readonly MenderModel model;
    private readonly DecoderLayerCache[] caches;
    private readonly int queries;
    private readonly int beam;
    private readonly int[] tokens;

    public MenderScorer(MenderModel model, MenderBatch batch, Tensor? preferences, int beam)
    {
        if (model.Training) throw new InvalidOperationException("switch the model to evaluation mode before decoding");
        this.model = model;
        this.beam = beam;
        queries = batch.Rows;
        caches = model.Decoder.StartDecoding(model.Encode(batch, preferences), MenderModel.Mask(batch));
        tokens = new int[queries * beam];
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

        var x = model.EmbedDecoderInput(tokens.AsSpan(0, rows), rows, 1, step);
        x = model.Decoder.Step(x, caches, parents);
        var logSoftmax = Ops.LogSoftmax(model.Head.Forward(x)).Span;
        var width = vocabulary.CodebookSize(step);
        var offset = vocabulary.Offset(step);
        for (var r = 0; r < rows; r++)
            logSoftmax.Slice(r * vocabulary.Size + offset, width).CopyTo(logProbs.Slice(r * width, width));
    }
}
