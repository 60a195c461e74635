using Mender.Data;
using Mender.Numerics.Autograd;
using Mender.Numerics.Optim;
using Mender.Numerics.Tensors;
using Mender.Recommender.SemanticIds;

namespace Mender.Recommender.Model;

/// <summary>
/// One optimizer step of a Mender model as `mender train` takes it: the mean cross-entropy of the SID tokens of each
/// sample's target, given its history (and preference, in mender mode), back-propagated in data-parallel shards
/// (<see cref="DataParallel"/>); then the gradients clipped to a global norm and an AdamW update.
/// </summary>
/// <param name="model">The model being trained.</param>
/// <param name="optimizer">Its optimizer, over <paramref name="model"/>'s parameters.</param>
/// <param name="sids">Each item's semantic ID.</param>
/// <param name="preferences">Each sample's preference embedding in mender mode; null in tiger mode.</param>
/// <param name="clipNorm">The largest global gradient norm.</param>
public sealed class MenderStep(MenderModel model, AdamW optimizer, SidTable sids, PreferenceInputs? preferences, float clipNorm)
{
    /// <summary>
    /// Samples per data-parallel shard; a value at least the batch size makes the whole batch one tape, whose operations
    /// split across the threads instead (the way steps ran before shards, kept for comparison).
    /// </summary>
    public int SamplesPerShard { get; init; } = DataParallel.SamplesPerShard;

    /// <summary>Trains on <paramref name="batch"/> and returns its mean loss before the update.</summary>
    public float Take(IReadOnlyList<TrainingSample> batch)
    {
        var loss = DataParallel.Backward(optimizer.Parameters, batch.Count, model.Random,
            (start, count) => Loss(Slice(batch, start, count)), SamplesPerShard);
        GradientClipping.ClipGlobalNorm(optimizer.Parameters, clipNorm);
        optimizer.Step();
        optimizer.ZeroGrad();
        return loss;
    }

    private Tensor Loss(IReadOnlyList<TrainingSample> samples)
    {
        var length = model.Vocabulary.Length;
        var histories = new int[samples.Count][];
        var targets = new int[samples.Count * length];
        for (var i = 0; i < samples.Count; i++)
        {
            histories[i] = samples[i].History;
            var sid = sids[samples[i].Target];
            for (var level = 0; level < length; level++)
                targets[i * length + level] = model.Vocabulary.Token(level, sid[level]);
        }
        var batch = new MenderBatch(sids, model.Vocabulary, histories, model.Config.MaxHistory, model.PreferenceSlots);
        return model.Loss(batch, preferences?.Matrix(samples), targets);
    }

    private static IReadOnlyList<TrainingSample> Slice(IReadOnlyList<TrainingSample> batch, int start, int count) =>
        start == 0 && count == batch.Count ? batch : batch.Skip(start).Take(count).ToArray();
}
