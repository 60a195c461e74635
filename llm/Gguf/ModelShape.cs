using System.Globalization;

namespace Mender.Llm.Gguf;

/// <summary>The dimensions of a decoder-only transformer, for building models with random weights.</summary>
public sealed record ModelShape(int EmbeddingLength, int Layers, int Heads, int KvHeads, int FeedForwardLength, int HeadDim, int ContextLength)
{
    /// <summary>Shapes of real models (and a tiny one for tests), by name.</summary>
    public static IReadOnlyDictionary<string, ModelShape> Presets { get; } = new Dictionary<string, ModelShape>(StringComparer.OrdinalIgnoreCase)
    {
        ["tiny"] = new(64, 2, 4, 2, 192, 16, 2048),
        ["qwen2-0.5b"] = new(896, 24, 14, 2, 4864, 64, 32768),
        ["qwen2-1.5b"] = new(1536, 28, 12, 2, 8960, 128, 32768),
        ["qwen3-0.6b"] = new(1024, 28, 16, 8, 3072, 128, 40960),
        ["llama-1b"] = new(2048, 16, 32, 8, 8192, 64, 131072),
    };

    /// <summary>
    /// A preset name, or "n_embd,n_layer,n_head,n_head_kv,n_ff" with an optional sixth head dimension
    /// (default n_embd / n_head).
    /// </summary>
    public static ModelShape Parse(string text)
    {
        if (Presets.TryGetValue(text.Trim(), out var preset)) return preset;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length is not (5 or 6))
            throw new ArgumentException(
                $"shape '{text}' is neither a preset ({string.Join(", ", Presets.Keys)}) nor n_embd,n_layer,n_head,n_head_kv,n_ff[,head_dim]");
        var values = new int[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] <= 0)
                throw new ArgumentException($"shape '{text}': '{parts[i]}' is not a positive integer");
        var (embd, layers, heads, kvHeads, ff) = (values[0], values[1], values[2], values[3], values[4]);
        if (parts.Length == 5 && embd % heads != 0)
            throw new ArgumentException($"shape '{text}': n_embd {embd} is not a multiple of n_head {heads}");
        if (heads % kvHeads != 0)
            throw new ArgumentException($"shape '{text}': n_head {heads} is not a multiple of n_head_kv {kvHeads}");
        var headDim = parts.Length == 6 ? values[5] : embd / heads;
        if (headDim % 2 != 0)
            throw new ArgumentException($"shape '{text}': the head dimension {headDim} must be even for RoPE");
        return new ModelShape(embd, layers, heads, kvHeads, ff, headDim, 2048);
    }

    /// <summary>The shape in words, for messages and benchmark reports.</summary>
    public override string ToString() =>
        $"n_embd {EmbeddingLength}, {Layers} layers, {Heads} heads / {KvHeads} KV heads of {HeadDim}, n_ff {FeedForwardLength}";
}
