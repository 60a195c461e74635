namespace Mender.Recommender.SemanticIds;

/// <summary>
/// What a residual quantizer (RK-means or RQ-VAE) learned: per level a codebook (row-major size × latent dimensions),
/// and per item one code per level (row-major items × levels), plus how well the codes reconstruct the input.
/// </summary>
public sealed class ResidualQuantization
{
    /// <summary>A quantization from its parts; the error statistics are as the quantizer measured them.</summary>
    public ResidualQuantization(string method, int items, int[] codes, float[][] codebooks, int latentDimensions,
        double reconstructionError, double relativeReconstructionError, double[] residualErrorPerLevel)
    {
        var levels = codebooks.Length;
        if (levels < 1 || codes.Length != (long)items * levels) throw new ArgumentException("codes must be items × levels");
        for (var l = 0; l < levels; l++)
            if (codebooks[l].Length == 0 || codebooks[l].Length % latentDimensions != 0)
                throw new ArgumentException($"codebook {l} is not a whole number of {latentDimensions}-wide rows");
        Method = method;
        Items = items;
        Codes = codes;
        Codebooks = codebooks;
        LatentDimensions = latentDimensions;
        ReconstructionError = reconstructionError;
        RelativeReconstructionError = relativeReconstructionError;
        ResidualErrorPerLevel = residualErrorPerLevel;
    }

    /// <summary><c>rkmeans</c> or <c>rqvae</c>.</summary>
    public string Method { get; }

    /// <summary>The number of items quantized.</summary>
    public int Items { get; }
    /// <summary>The number of codebooks, which is the number of learned codes per item.</summary>
    public int Levels => Codebooks.Length;
    /// <summary>Each item's learned codes, items × levels row-major.</summary>
    public int[] Codes { get; }
    /// <summary>Each level's codewords, row-major codebook size × latent dimensions.</summary>
    public float[][] Codebooks { get; }
    /// <summary>Width of the vectors the codebooks quantize.</summary>
    public int LatentDimensions { get; }
    /// <summary>Codewords per level.</summary>
    public int[] CodebookSizes => Codebooks.Select(c => c.Length / LatentDimensions).ToArray();

    /// <summary>Mean over items of ‖x − x̂‖² in the input (embedding) space.</summary>
    public double ReconstructionError { get; }

    /// <summary><see cref="ReconstructionError"/> divided by the mean ‖x‖², so 0 is perfect and 1 is no better than zero.</summary>
    public double RelativeReconstructionError { get; }

    /// <summary>Mean ‖residual‖² in the latent space after each level: how much each codebook leaves unexplained.</summary>
    public double[] ResidualErrorPerLevel { get; }

    /// <summary>The learned codes of one item.</summary>
    public ReadOnlySpan<int> CodesOf(int item) => Codes.AsSpan(item * Levels, Levels);
}
