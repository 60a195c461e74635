using Mender.Data;
using Mender.Data.Text;
using Mender.Numerics.Tensors;

namespace Mender.Recommender.Embeddings;

/// <summary>
/// The text embedders a checkpoint names by spec ("lexical seed=N": the lexical embedder fitted on the catalogue's item
/// texts), fitted once per dataset and spec and shared by everything that opens checkpoints of that dataset.
/// </summary>
public sealed class TextEmbedders(Dataset dataset)
{
    private const string LexicalPrefix = "lexical seed=";
    private const int DefaultSeed = 42;
    private readonly Dictionary<string, LexicalEmbeddingGenerator> fitted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> itemTexts = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>The dataset whose item texts the embedders are fitted on.</summary>
    public Dataset Dataset => dataset;

    /// <summary>The spec training records for the lexical embedder.</summary>
    public static string LexicalSpec(int seed = DefaultSeed) => $"{LexicalPrefix}{seed}";

    /// <summary>The embedder a spec names, fitted once and then shared.</summary>
    public LexicalEmbeddingGenerator Get(string spec)
    {
        lock (gate)
        {
            if (fitted.TryGetValue(spec, out var known)) return known;
            if (!spec.StartsWith(LexicalPrefix, StringComparison.Ordinal) || !int.TryParse(spec[LexicalPrefix.Length..], out var seed))
                throw new InvalidDataException($"unknown text embedder '{spec}' (expected '{LexicalPrefix}N')");
            var embedder = LexicalEmbeddingGenerator.Fit(dataset.Items.Select(ItemText.Render).ToArray(), new LexicalEmbedderOptions { Seed = seed });
            fitted[spec] = embedder;
            return embedder;
        }
    }

    /// <summary>
    /// Every catalogue item's text embedded with the named embedder, [items, dimensions]: computed once per spec and
    /// shared (a model's item-text input, cold-start similarity), so callers must not change it.
    /// </summary>
    public Tensor ItemTextMatrix(string spec)
    {
        var embedder = Get(spec);
        lock (gate)
        {
            if (itemTexts.TryGetValue(spec, out var known)) return known;
            var width = embedder.Dimensions;
            var matrix = new Tensor(dataset.Items.Count, width);
            for (var i = 0; i < dataset.Items.Count; i++)
                embedder.Embed(ItemText.Render(dataset.Items[i])).CopyTo(matrix.Span.Slice(i * width, width));
            itemTexts[spec] = matrix;
            return matrix;
        }
    }
}
