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
    [JsonPropertyName("items")] public int Items { get; init; }
    [JsonPropertyName("method")] public string Method { get; init; } = "";
    [JsonPropertyName("embedder")] public string Embedder { get; init; } = "";
    [JsonPropertyName("embedding_dimensions")] public int EmbeddingDimensions { get; init; }
    [JsonPropertyName("seed")] public int Seed { get; init; }
    /// <summary><c>distinct</c> (collision-aware last level) or <c>nearest</c> (plain nearest codeword).</summary>
    [JsonPropertyName("last_level")] public string LastLevel { get; init; } = "";
    [JsonPropertyName("codebook_sizes")] public int[] CodebookSizes { get; init; } = [];
    [JsonPropertyName("codes_used_per_level")] public int[] CodesUsedPerLevel { get; init; } = [];
    [JsonPropertyName("perplexity_per_level")] public double[] PerplexityPerLevel { get; init; } = [];

    /// <summary>Share of items whose learned-code prefix is also some other item's.</summary>
    [JsonPropertyName("prefix_collision_rate")] public double PrefixCollisionRate { get; init; }

    [JsonPropertyName("max_collision_group")] public int MaxCollisionGroup { get; init; }
    [JsonPropertyName("unique_prefixes")] public int UniquePrefixes { get; init; }
    [JsonPropertyName("reconstruction_error")] public double ReconstructionError { get; init; }
    [JsonPropertyName("relative_reconstruction_error")] public double RelativeReconstructionError { get; init; }
    [JsonPropertyName("residual_error_per_level")] public double[] ResidualErrorPerLevel { get; init; } = [];
    [JsonPropertyName("embedding_seconds")] public double EmbeddingSeconds { get; init; }
    [JsonPropertyName("quantization_seconds")] public double QuantizationSeconds { get; init; }
    [JsonPropertyName("wall_time_seconds")] public double WallTimeSeconds { get; init; }
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

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson() + "\n");

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
