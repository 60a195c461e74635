using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mender.Recommender.SemanticIds;

/// <summary>
/// How good a set of semantic IDs is, saved as <c>quality.json</c>. Codes used and perplexity (exp of the entropy of
/// the code distribution; 256 would be perfectly even use of 256 codes) are given for each learned level; the collision
/// figures are about the prefix of learned codes, before the collision code makes every SID unique.
/// </summary>
public sealed record SidQuality
{
    /// <summary>The number of items coded.</summary>
    [JsonPropertyName("items")] public int Items { get; init; }
    /// <summary>The quantizer: <c>rkmeans</c> or <c>rqvae</c>.</summary>
    [JsonPropertyName("method")] public string Method { get; init; } = "";
    /// <summary>The embedder the items were embedded with.</summary>
    [JsonPropertyName("embedder")] public string Embedder { get; init; } = "";
    /// <summary>Width of the item embeddings.</summary>
    [JsonPropertyName("embedding_dimensions")] public int EmbeddingDimensions { get; init; }
    /// <summary>The build's seed.</summary>
    [JsonPropertyName("seed")] public int Seed { get; init; }
    /// <summary><c>distinct</c> (collision-aware last level) or <c>nearest</c> (plain nearest codeword).</summary>
    [JsonPropertyName("last_level")] public string LastLevel { get; init; } = "";
    /// <summary>Values each SID position may take, collision code last.</summary>
    [JsonPropertyName("codebook_sizes")] public int[] CodebookSizes { get; init; } = [];
    /// <summary>Distinct codes items use at each learned level; low counts mean wasted codewords.</summary>
    [JsonPropertyName("codes_used_per_level")] public int[] CodesUsedPerLevel { get; init; } = [];
    /// <summary>Perplexity of each level's code distribution: the number of equally used codes it amounts to.</summary>
    [JsonPropertyName("perplexity_per_level")] public double[] PerplexityPerLevel { get; init; } = [];

    /// <summary>Share of items whose learned-code prefix is also some other item's.</summary>
    [JsonPropertyName("prefix_collision_rate")] public double PrefixCollisionRate { get; init; }

    /// <summary>The most items sharing one learned-code prefix, which sets the collision code's range.</summary>
    [JsonPropertyName("max_collision_group")] public int MaxCollisionGroup { get; init; }
    /// <summary>The number of distinct learned-code prefixes.</summary>
    [JsonPropertyName("unique_prefixes")] public int UniquePrefixes { get; init; }
    /// <summary>Mean squared distance between an item's vector and its quantized version.</summary>
    [JsonPropertyName("reconstruction_error")] public double ReconstructionError { get; init; }
    /// <summary>The reconstruction error relative to the mean squared norm: 0 is perfect, 1 no better than zero.</summary>
    [JsonPropertyName("relative_reconstruction_error")] public double RelativeReconstructionError { get; init; }
    /// <summary>Mean squared residual after each level: how much each codebook leaves unexplained.</summary>
    [JsonPropertyName("residual_error_per_level")] public double[] ResidualErrorPerLevel { get; init; } = [];
    /// <summary>Time spent embedding the items.</summary>
    [JsonPropertyName("embedding_seconds")] public double EmbeddingSeconds { get; init; }
    /// <summary>Time spent fitting the quantizer and coding the items.</summary>
    [JsonPropertyName("quantization_seconds")] public double QuantizationSeconds { get; init; }
    /// <summary>Time the whole build took.</summary>
    [JsonPropertyName("wall_time_seconds")] public double WallTimeSeconds { get; init; }
    /// <summary>What ran the build, kept for provenance.</summary>
    [JsonPropertyName("produced_by")] public string ProducedBy { get; init; } = "";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>The figures of <paramref name="quantization"/>'s codes; run details are filled in by the caller.</summary>
    public static SidQuality Measure(ResidualQuantization quantization)
    {
        var n = quantization.Items;
        var levels = quantization.Levels;
        var sizes = quantization.CodebookSizes;
        var used = new int[levels];
        var perplexity = new double[levels];
        for (var l = 0; l < levels; l++)
        {
            var counts = new int[sizes[l]];
            for (var i = 0; i < n; i++) counts[quantization.Codes[i * levels + l]]++;
            used[l] = counts.Count(c => c > 0);
            var entropy = 0.0;
            foreach (var c in counts)
                if (c > 0) entropy -= (double)c / n * Math.Log((double)c / n);
            perplexity[l] = Math.Exp(entropy);
        }

        var order = CollisionCodes.PrefixOrder(quantization.Codes, n, levels);
        var colliding = 0;
        var largest = n > 0 ? 1 : 0;
        var groups = 0;
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && CollisionCodes.SamePrefix(quantization.Codes, levels, order[start], order[end])) end++;
            groups++;
            if (end - start > 1) colliding += end - start;
            largest = Math.Max(largest, end - start);
            start = end;
        }

        return new SidQuality
        {
            Items = n,
            Method = quantization.Method,
            CodebookSizes = sizes,
            CodesUsedPerLevel = used,
            PerplexityPerLevel = perplexity,
            PrefixCollisionRate = n > 0 ? (double)colliding / n : 0,
            MaxCollisionGroup = largest,
            UniquePrefixes = groups,
            ReconstructionError = quantization.ReconstructionError,
            RelativeReconstructionError = quantization.RelativeReconstructionError,
            ResidualErrorPerLevel = quantization.ResidualErrorPerLevel,
        };
    }

    /// <summary>The report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Writes the report to a file, atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson() + "\n");

    /// <summary>Reads a report; throws with the file's name when it is malformed.</summary>
    public static SidQuality Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<SidQuality>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path}: empty quality report");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid quality report: {e.Message}", e);
        }
    }
}
