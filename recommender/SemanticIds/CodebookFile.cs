using Mender.Numerics.Checkpoints;
using Mender.Numerics.Tensors;

namespace Mender.Recommender.SemanticIds;

/// <summary>
/// The codebooks of a quantizer as safetensors: tensor <c>codebook.{level}</c> is F32 [codebook size, latent
/// dimensions], and the header's <c>__metadata__</c> names the method and the number of levels.
/// </summary>
public static class CodebookFile
{
    /// <summary>Writes the quantizer's codebooks to a safetensors file.</summary>
    public static void Save(string path, ResidualQuantization quantization)
    {
        var tensors = new List<KeyValuePair<string, Tensor>>();
        for (var level = 0; level < quantization.Levels; level++)
            tensors.Add(new($"codebook.{level}",
                Tensor.FromArray(quantization.Codebooks[level], quantization.CodebookSizes[level], quantization.LatentDimensions)));
        SafeTensors.Save(path, tensors, new Dictionary<string, string>
        {
            ["method"] = quantization.Method,
            ["levels"] = quantization.Levels.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    /// <summary>Reads the codebooks back: one row-major array per level, and the latent width.</summary>
    public static (float[][] Codebooks, int LatentDimensions) Load(string path)
    {
        var file = SafeTensors.Load(path);
        var codebooks = new List<float[]>();
        var width = -1;
        for (var level = 0; file.Tensors.TryGetValue($"codebook.{level}", out var tensor); level++)
        {
            if (tensor.Rank != 2 || (width >= 0 && tensor.Dim(1) != width))
                throw new InvalidDataException($"{path}: codebook.{level} has shape [{string.Join(", ", tensor.Shape.ToArray())}], expected [size, {width}]");
            width = tensor.Dim(1);
            codebooks.Add(tensor.ToArray());
        }
        if (codebooks.Count == 0) throw new InvalidDataException($"{path}: no codebook.0 tensor");
        return (codebooks.ToArray(), width);
    }
}
