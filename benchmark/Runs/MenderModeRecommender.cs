using Mender.Numerics.Tensors;
using Mender.Preference;
using Mender.Preference.Conversation;
using Mender.Preference.Matching;
using Mender.Recommender.Inference;
using Mender.Recommender.Model;
using Microsoft.Extensions.AI;

namespace Mender.Benchmark.Runs;

/// <summary>
/// A trained Mender model (tiger or mender mode) behind the benchmark's interface. In mender mode each query's
/// preferences are combined as the turns of a conversation are (<see cref="ConversationPreference"/>: a later one
/// overrides an earlier one it contradicts, the same code the chat API uses), then go through
/// <see cref="PolarPreferenceEmbedder"/> over the checkpoint's own embedder: each part is embedded in its positive form,
/// a negative one pointing the other way, and several (history consolidation) are summed into the single preference
/// slot the model reads. A query without preferences gets the zero vector, as unmatched targets do
/// in training. Tiger mode ignores preferences.
/// </summary>
public sealed class MenderModeRecommender(MenderRecommender recommender, IEmbeddingGenerator<string, Embedding<float>>? embedder, int preferenceDim,
    string source, int batchSize = 32) : IPreferenceRecommender
{
    private readonly PolarPreferenceEmbedder? polar = embedder is null ? null : new PolarPreferenceEmbedder(embedder);

    /// <inheritdoc/>
    public string Name => recommender.Name;

    /// <inheritdoc/>
    public string Source => source;

    /// <inheritdoc/>
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
        var groups = part.Select(q => ConversationPreference.Combine(q.Preferences).Parts).ToList();
        var vectors = await polar!.EmbedAsync(groups, cancellation).ConfigureAwait(false);
        for (var i = 0; i < part.Count; i++)
        {
            if (groups[i].Count == 0) continue;
            if (vectors[i].Length != preferenceDim)
                throw new InvalidDataException($"the preference embedder gives {vectors[i].Length} values; the model expects {preferenceDim}");
            vectors[i].CopyTo(matrix.Span.Slice(i * preferenceDim, preferenceDim));
        }
        return matrix;
    }
}
