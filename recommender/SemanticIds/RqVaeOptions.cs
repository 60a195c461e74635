namespace Mender.Recommender.SemanticIds;

/// <summary>
/// Settings of the RQ-VAE (TIGER, Mender): an MLP encoder input → 512 → 256 → latent with ReLU between layers, residual
/// codebooks on the latent, a mirrored decoder; the levels and codebook size come from the build.
/// </summary>
public sealed record RqVaeOptions
{
    /// <summary>Hidden widths of the encoder (the decoder mirrors them).</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [512, 256];

    /// <summary>Width of the latent that the codebooks quantize.</summary>
    public int LatentDimensions { get; init; } = 128;

    /// <summary>Weight β of the commitment loss ‖z − sg(q)‖².</summary>
    public double Beta { get; init; } = 0.25;

    /// <summary>Passes over the items.</summary>
    public int Epochs { get; init; } = 50;
    /// <summary>Items per training batch.</summary>
    public int BatchSize { get; init; } = 1024;
    /// <summary>The optimizer's learning rate.</summary>
    public double LearningRate { get; init; } = 3e-3;
    /// <summary>The optimizer's weight decay.</summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>A code no item used during an epoch is moved onto a latent residual that its level quantizes worst.</summary>
    public bool ReseedDeadCodes { get; init; } = true;

    /// <summary>Items sharing the earlier codes get distinct last codes where possible (set from the build).</summary>
    public bool DistinctLastLevel { get; init; } = true;

    /// <summary>The settings in short, for build manifests and reports.</summary>
    public override string ToString() =>
        $"hidden={string.Join(',', HiddenSizes)} latent={LatentDimensions} beta={Beta} epochs={Epochs} batch={BatchSize} " +
        $"lr={LearningRate} wd={WeightDecay} reseed={ReseedDeadCodes}";
}
