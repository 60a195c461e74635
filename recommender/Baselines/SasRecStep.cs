using Mender.Numerics.Autograd;
using Mender.Numerics.Operations;
using Mender.Numerics.Optim;
using Mender.Numerics.Tensors;

namespace Mender.Recommender.Baselines;

/// <summary>
/// One optimizer step of SASRec as `mender train --mode sasrec` takes it: the mean full-softmax cross-entropy of the next
/// item over every position of the batch's sequences, back-propagated in data-parallel shards of users
/// (<see cref="DataParallel"/>), each weighing its share of the batch's positions; then an Adam update.
/// </summary>
/// <param name="model">The model being trained.</param>
/// <param name="optimizer">Its optimizer, over <paramref name="model"/>'s parameters.</param>
public sealed class SasRecStep(SasRecModel model, AdamW optimizer)
{
    /// <summary>
    /// Samples per data-parallel shard; a value at least the batch size makes the whole batch one tape, whose operations
    /// split across the threads instead (the way steps ran before shards, kept for comparison).
    /// </summary>
    public int SamplesPerShard { get; init; } = DataParallel.SamplesPerShard;

    /// <summary>SASRec's optimizer for <paramref name="model"/>: Adam at the config's rate, β₂ 0.98, no weight decay.</summary>
    public static AdamW NewOptimizer(SasRecModel model) =>
        new(model.Parameters(), model.Config.LearningRate, beta2: 0.98f, weightDecay: 0f);

    /// <summary>
    /// Trains on <paramref name="batch"/>, sequences of item ids (each at least two, at most the model's length plus
    /// one), and returns its mean loss before the update.
    /// </summary>
    public float Take(int[][] batch)
    {
        var positions = PositionsIn(batch);
        var loss = DataParallel.Backward(optimizer.Parameters, batch.Length, model.Random,
            (start, count) => Loss(batch[start..(start + count)]),
            (start, count) => PositionsIn(batch.AsSpan(start, count)) / (float)positions, SamplesPerShard);
        optimizer.Step();
        optimizer.ZeroGrad();
        return loss;
    }

    private static int PositionsIn(ReadOnlySpan<int[]> sequences)
    {
        var positions = 0;
        foreach (var s in sequences) positions += s.Length - 1;
        return positions;
    }

    private const int IgnoredTarget = -100;

    /// <summary>
    /// Rows of catalogue logits are computed in fixed-size chunks (the last padded with ignored rows), so every step
    /// uses buffers of the same shapes and the buffer pool stays bounded however many positions a batch has.
    /// </summary>
    private const int ScoreChunk = 512;

    /// <summary>
    /// The model's input for <paramref name="sequences"/>: item tokens [sequences, length] (item id + 1, padded with 0
    /// after each), and for every position followed by an item, its row in the flattened tokens and that next item.
    /// </summary>
    internal static (int[] Tokens, int Length, int[] Rows, int[] Targets) Inputs(int[][] sequences)
    {
        var length = sequences.Max(s => s.Length) - 1;
        var tokens = new int[sequences.Length * length];
        var rows = new List<int>();
        var targets = new List<int>();
        for (var b = 0; b < sequences.Length; b++)
        {
            var s = sequences[b];
            for (var j = 0; j + 1 < s.Length; j++)
            {
                tokens[b * length + j] = s[j] + 1;
                rows.Add(b * length + j);
                targets.Add(s[j + 1]);
            }
        }
        return (tokens, length, rows.ToArray(), targets.ToArray());
    }

    /// <summary>The mean cross-entropy of the next item at every position of <paramref name="sequences"/>.</summary>
    private Tensor Loss(int[][] sequences)
    {
        var (tokens, length, rows, targets) = Inputs(sequences);
        var valid = rows.Length;
        var padded = (valid + ScoreChunk - 1) / ScoreChunk * ScoreChunk;
        var rowArray = new int[padded];
        var targetArray = new int[padded];
        rows.CopyTo(rowArray, 0);
        targets.CopyTo(targetArray, 0);
        targetArray.AsSpan(valid).Fill(IgnoredTarget);
        var hidden = model.Forward(tokens, sequences.Length, length);
        Tensor? loss = null;
        for (var start = 0; start < padded; start += ScoreChunk)
        {
            var logits = model.Scores(hidden, rowArray[start..(start + ScoreChunk)]);
            var inChunk = Math.Min(ScoreChunk, valid - start);
            // The chunk's mean weighted by its share of the positions gives the mean over all of them.
            var part = Ops.CrossEntropy(logits, targetArray.AsSpan(start, ScoreChunk), IgnoredTarget) * (inChunk / (float)valid);
            loss = loss is null ? part : loss + part;
        }
        return loss!;
    }
}
