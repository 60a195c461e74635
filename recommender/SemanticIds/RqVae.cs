using Mender.Numerics;
using Mender.Numerics.Modules;
using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Recommender.SemanticIds;

/// <summary>
/// The residual-quantized variational autoencoder of TIGER (Rajput et al. 2023), as Mender uses it:
/// <code>
/// z      = encoder(x)                       MLP input → 512 → 256 → latent, ReLU between layers
/// r₀ = z;  cₗ = argminₖ ‖rₗ − Eₗ[k]‖²;  rₗ₊₁ = rₗ − Eₗ[cₗ]      for each level l
/// q      = Σₗ Eₗ[cₗ]
/// x̂      = decoder(z + sg(q − z))           mirrored MLP; gradients pass straight through the quantizer
/// loss   = ‖x̂ − x‖² + Σₗ ‖sg(rₗ) − Eₗ[cₗ]‖² + β ‖rₗ − sg(Eₗ[cₗ])‖²
/// </code>
/// where sg stops gradients; the codebook term pulls codewords to the residuals they quantize and the commitment term
/// (weight β) keeps the encoder's residuals near their codewords. Squared norms are means over elements.
/// </summary>
public sealed class RqVae : Module
{
    /// <summary>A network with fresh weights drawn from the generator.</summary>
    public RqVae(int inputDimensions, int levels, int codebookSize, RqVaeOptions options, Rng rng)
    {
        InputDimensions = inputDimensions;
        LatentDimensions = options.LatentDimensions;
        Beta = (float)options.Beta;
        int[] encoderSizes = [inputDimensions, .. options.HiddenSizes, options.LatentDimensions];
        Encoder = AddModule("encoder", new Mlp(encoderSizes, Activation.Relu, rng));
        Decoder = AddModule("decoder", new Mlp(encoderSizes.Reverse().ToArray(), Activation.Relu, rng));
        Codebooks = new Tensor[levels];
        for (var l = 0; l < levels; l++)
            Codebooks[l] = AddParameter($"codebook{l}", Tensor.Normal(rng, 0, 0.01f, codebookSize, options.LatentDimensions));
    }

    /// <summary>Width of the embeddings the network reads.</summary>
    public int InputDimensions { get; }
    /// <summary>Width of the latent the codebooks quantize.</summary>
    public int LatentDimensions { get; }
    /// <summary>Weight of the commitment loss.</summary>
    public float Beta { get; }
    /// <summary>Maps embeddings into the latent space.</summary>
    public Mlp Encoder { get; }
    /// <summary>Maps quantized latents back to embeddings, for the reconstruction loss.</summary>
    public Mlp Decoder { get; }
    /// <summary>One codebook per level, codebook size × latent dimensions.</summary>
    public Tensor[] Codebooks { get; }
    /// <summary>The number of codebooks.</summary>
    public int Levels => Codebooks.Length;
    /// <summary>Codewords per codebook.</summary>
    public int CodebookSize => Codebooks[0].Dim(0);

    /// <summary>
    /// What one forward pass produced: the loss and its parts, each level's codes, and (when asked for) a copy of the
    /// residual each level quantized.
    /// </summary>
    public sealed record Output(Tensor Loss, float Reconstruction, float Quantization, int[][] Codes, float[][]? Residuals);

    /// <summary>Encodes a batch, quantizes it level by level and decodes it, returning the loss and the codes.</summary>
    public Output Forward(Tensor x, bool keepResiduals = false)
    {
        var z = Encoder.Forward(x);
        var residual = z;
        Tensor? quantized = null;
        Tensor? quantizationLoss = null;
        var codes = new int[Levels][];
        var residuals = keepResiduals ? new float[Levels][] : null;
        for (var l = 0; l < Levels; l++)
        {
            if (residuals is not null) residuals[l] = residual.ToArray();
            codes[l] = Ops.ArgMin(Ops.PairwiseSquaredDistance(Ops.StopGradient(residual), Ops.StopGradient(Codebooks[l])));
            var codeword = Ops.IndexSelect(Codebooks[l], codes[l]);
            var codebookLoss = Ops.MeanSquaredError(Ops.StopGradient(residual), codeword);
            var commitment = Ops.MeanSquaredError(residual, Ops.StopGradient(codeword));
            var levelLoss = Ops.Add(codebookLoss, Ops.Mul(commitment, Beta));
            quantizationLoss = quantizationLoss is null ? levelLoss : Ops.Add(quantizationLoss, levelLoss);
            quantized = quantized is null ? codeword : Ops.Add(quantized, codeword);
            residual = Ops.Sub(residual, codeword);
        }
        var reconstruction = Decoder.Forward(Ops.StraightThrough(z, quantized!));
        var reconstructionLoss = Ops.MeanSquaredError(reconstruction, x);
        var loss = Ops.Add(reconstructionLoss, quantizationLoss!);
        return new Output(loss, reconstructionLoss.Item(), quantizationLoss!.Item(), codes, residuals);
    }

    /// <summary>The latent of each row of x (no gradient is recorded when called under a NoGrad tape).</summary>
    public Tensor Encode(Tensor x) => Encoder.Forward(x);

    /// <summary>The embeddings a batch of latents decodes to.</summary>
    public Tensor Decode(Tensor latent) => Decoder.Forward(latent);
}
