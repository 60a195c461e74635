namespace Mender.Recommender.Baselines;

/// <summary>
/// SASRec (Kang &amp; McAuley 2018) trained with full-softmax cross-entropy over all items. Defaults follow the setting
/// measured in ANCHORS.md of the reference data (../shared/ANCHORS.md beside the checkout): hidden 64, 2 blocks,
/// 1 head, dropout 0.5, lr 1e-3, batch 128, sequences of 50.
/// </summary>
public sealed record SasRecConfig
{
    /// <summary>Width of the item and position embeddings and of every block.</summary>
    public int Hidden { get; init; } = 64;
    /// <summary>Self-attention blocks stacked.</summary>
    public int Blocks { get; init; } = 2;
    /// <summary>Attention heads per block.</summary>
    public int Heads { get; init; } = 1;
    /// <summary>Dropout rate during training.</summary>
    public float Dropout { get; init; } = 0.5f;
    /// <summary>The most recent items of a history the model reads; older ones are dropped.</summary>
    public int MaxLength { get; init; } = 50;
    /// <summary>Adam's learning rate.</summary>
    public float LearningRate { get; init; } = 1e-3f;
    /// <summary>Users per training batch.</summary>
    public int BatchSize { get; init; } = 128;
    /// <summary>Epochs at most, when validation keeps improving.</summary>
    public int MaxEpochs { get; init; } = 200;

    /// <summary>Stop after this many epochs without a better validation NDCG@10.</summary>
    public int Patience { get; init; } = 20;

    /// <summary>
    /// Halve the learning rate after this many epochs without a better validation NDCG@10, and again after as many more
    /// (0: never). At a constant rate validation peaks while the steps are still large enough to step past the best
    /// weights; smaller steps near the peak settle into them (on Beauty, Recall@10 .0835 against .0826 at a constant rate).
    /// </summary>
    public int DecayAfter { get; init; } = 5;

    /// <summary>Validation users scored after each epoch (evenly spaced; 0 means all).</summary>
    public int ValidationUsers { get; init; }

    /// <summary>Catalogue size (set from the dataset).</summary>
    public int Items { get; init; }

    /// <summary>Seed of initialisation, dropout and batch order, so a run can be repeated.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Throws when a setting is out of range, before training starts.</summary>
    public void Validate()
    {
        if (Hidden < 1 || Blocks < 1 || Heads < 1 || Hidden % Heads != 0 || MaxLength < 1 || BatchSize < 1 || MaxEpochs < 1 || Patience < 1 || DecayAfter < 0 || Items < 1)
            throw new ArgumentException($"SASRec sizes must be positive (hidden divisible by heads, items set): {this}");
        if (!(Dropout >= 0 && Dropout < 1) || !(LearningRate > 0)) throw new ArgumentException($"SASRec dropout or learning rate out of range: {this}");
    }
}
