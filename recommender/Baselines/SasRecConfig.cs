namespace Mender.Recommender.Baselines;

/// <summary>
/// SASRec (Kang &amp; McAuley 2018) trained with full-softmax cross-entropy over all items. Defaults follow the setting
/// measured in ANCHORS.md of the reference data (../shared/ANCHORS.md beside the checkout): hidden 64, 2 blocks,
/// 1 head, dropout 0.5, lr 1e-3, batch 128, sequences of 50.
/// </summary>
public sealed record SasRecConfig
{
    public int Hidden { get; init; } = 64;
    public int Blocks { get; init; } = 2;
    public int Heads { get; init; } = 1;
    public float Dropout { get; init; } = 0.5f;
    public int MaxLength { get; init; } = 50;
    public float LearningRate { get; init; } = 1e-3f;
    public int BatchSize { get; init; } = 128;
    public int MaxEpochs { get; init; } = 200;

    /// <summary>Stop after this many epochs without a better validation NDCG@10.</summary>
    public int Patience { get; init; } = 20;

    /// <summary>Validation users scored after each epoch (evenly spaced; 0 means all).</summary>
    public int ValidationUsers { get; init; }

    /// <summary>Catalogue size (set from the dataset).</summary>
    public int Items { get; init; }

    public ulong Seed { get; init; } = 42;

    public void Validate()
    {
        if (Hidden < 1 || Blocks < 1 || Heads < 1 || Hidden % Heads != 0 || MaxLength < 1 || BatchSize < 1 || MaxEpochs < 1 || Patience < 1 || Items < 1)
            throw new ArgumentException($"SASRec sizes must be positive (hidden divisible by heads, items set): {this}");
        if (!(Dropout >= 0 && Dropout < 1) || !(LearningRate > 0)) throw new ArgumentException($"SASRec dropout or learning rate out of range: {this}");
    }
}
