using Mender.Numerics.Tensors;
using Mender.Recommender.Inference;
using Mender.Recommender.Model;
using Microsoft.Extensions.AI;

namespace Mender.Benchmark.Runs;

/// <summary>
/// A trained Mender model (tiger or mender mode) behind the benchmark's interface. In mender mode each query's
/// preference texts are embedded with the checkpoint's own embedder; several texts (history consolidation) are joined
/// into one, as a user would type them into one box, because the model reads a single preference slot. A query without
/// preferences gets the zero vector, as unmatched targets do in training. Tiger mode ignores preferences.
/// </summary>
public sealed class MenderModeRecommender(MenderRecommender recommender, IEmbeddingGenerator<string, Embedding<float>>? embedder, int preferenceDim,
    string source, int batchSize = 32) : IPreferenceRecommender
{
    public const string Separator = "; ";

    public string Name => recommender.Name;

    public string Source => source;

    public async Task<int[][]> RecommendAsync(IReadOnlyList<BenchmarkQuery> queries, int k, CancellationToken cancellation = default)
    {
        var mender = recommender.Name == "mender";
        if (mender && embedder is null) throw new InvalidOperationException("a mender-mode model needs the embedder of its preferences");
        var results = new int[queries.Count][];
        for (var start = 0; start < queries.Count; start += batchSize)
        {
            cancellation.ThrowIfCancellationRequested();
            var part = queries.Skip(start).Take(batchSize).ToList();
            Tensor? preferences = null;
            if (mender) preferences = await EmbedAsync(part, cancellation).ConfigureAwait(false);
            var found = recommender.Search(part.Select(q => q.History).ToList(), preferences, k);
            for (var i = 0; i < part.Count; i++) results[start + i] = found[i].Select(r => r.Item).ToArray();
        }
        return results;
    }

    private async Task<Tensor> EmbedAsync(List<BenchmarkQuery> part, CancellationToken cancellation)
    {
        var matrix = new Tensor(part.Count, preferenceDim);
        var texts = part.Select(q => string.Join(Separator, q.Preferences)).ToList();
        var rows = Enumerable.Range(0, part.Count).Where(i => texts[i].Length > 0).ToList();
        if (rows.Count == 0) return matrix;
        var embeddings = await embedder!.GenerateAsync(rows.Select(i => texts[i]), cancellationToken: cancellation).ConfigureAwait(false);
        for (var j = 0; j < rows.Count; j++)
        {
            var vector = embeddings[j].Vector.Span;
            if (vector.Length != preferenceDim)
                throw new InvalidDataException($"the preference embedder gives {vector.Length} values; the model expects {preferenceDim}");
            vector.CopyTo(matrix.Span.Slice(rows[j] * preferenceDim, preferenceDim));
        }
        return matrix;
    }
}
