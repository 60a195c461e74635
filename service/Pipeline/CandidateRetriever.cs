using Mender.Data;
using Mender.Numerics;
using Mender.Numerics.Tensors;
using Mender.Preference.Conversation;
using Mender.Recommender.Inference;
using Mender.Recommender.Model;

namespace Mender.Service.Pipeline;

/// <summary>
/// The model's candidates for a history and a preference vector: trie-constrained beam search, so only real items come
/// out, with the beam width given per call. Searches run one at a time; each width keeps its recommender, whose beam
/// search reuses its buffers from request to request.
/// </summary>
internal sealed class CandidateRetriever(TrainedMender trained, Dataset dataset) : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<int, MenderRecommender> recommenders = [];

    /// <summary>
    /// Candidates outside <see cref="ResolvedRequest.Excluded"/>, best first, with their log-probabilities. When what the
    /// preference avoids fills a default-width beam (a shopper of body mists who says "not another body mist"), the
    /// search is widened once to <paramref name="widest"/>, so that k other items can be found.
    /// </summary>
    public async Task<List<(int Item, float Score)>> RetrieveAsync(ResolvedRequest resolved, float[]? preference, AvoidedTopics avoided, int widest,
        CancellationToken cancellationToken)
    {
        var request = resolved.Request;
        var found = await SearchAsync(resolved, preference, resolved.Beam, cancellationToken).ConfigureAwait(false);
        if (!avoided.IsEmpty && request.Beam is null && resolved.Beam < widest
            && found.Count(g => !avoided.Names(ItemNaming.Of(dataset.Items[g.Item]))) < request.K)
            found = await SearchAsync(resolved, preference, widest, cancellationToken).ConfigureAwait(false);
        return found;
    }

    private async Task<List<(int Item, float Score)>> SearchAsync(ResolvedRequest resolved, float[]? preference, int beam, CancellationToken cancellationToken)
    {
        Recommendation[] found;
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var vector = preference is null ? null : Tensor.FromArray(preference, 1, preference.Length);
            var request = resolved.Request;
            var rng = request.Temperature > 0 ? new Rng(request.Seed) : null;
            if (!recommenders.TryGetValue(beam, out var recommender)) recommenders[beam] = recommender = trained.Recommender(beam);
            found = recommender.Search([resolved.ModelHistory], vector, beam, request.Temperature, rng)[0];
        }
        finally
        {
            gate.Release();
        }
        return found.Where(r => !resolved.Excluded.Contains(dataset.Items[r.Item].ExternalId)).Select(r => (r.Item, r.Score)).ToList();
    }

    public void Dispose() => gate.Dispose();
}
