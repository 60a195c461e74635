using Mender.Data;
using Mender.Preference.Sentiment;
using Mender.Preference.Storage;
using Microsoft.Extensions.AI;

namespace Mender.Preference.Matching;

/// <summary>
/// The model input of mender mode: each target's matched preference from a store, embedded as it concerns the target —
/// in its positive form. A negative preference is matched to a target through its positive form, so the target is
/// what the preference names ("avoids glitter" matched to a glitter polish); training the model on the negative text
/// there would teach it that "avoids glitter" leads to glitter. At recommendation time
/// <see cref="PolarPreferenceEmbedder"/> turns a negative preference the other way, away from what it names.
/// </summary>
public static class MatchedPreferenceInputs
{
    /// <summary>
    /// Matches the targets (every sliding-window target when <paramref name="targets"/> is null) against the store's
    /// preferences and embeds the matched texts with <paramref name="embedder"/>, the one the model was trained with.
    /// </summary>
    public static async Task<(PreferenceInputs Inputs, PreferenceMatches Matches)> LoadAsync(Dataset dataset, string storeDirectory,
        IEmbeddingGenerator<string, Embedding<float>> embedder, IEnumerable<(int UserId, int Position)>? targets = null,
        CancellationToken cancellation = default)
    {
        PreferenceTable table;
        using (var store = PreferenceStore.OpenExisting(storeDirectory)) table = store.LoadTable();
        var matcher = new PreferenceMatcher(embedder);
        var matches = await matcher.MatchAsync(dataset, table, targets ?? PreferenceMatcher.SlidingWindowTargets(dataset), cancellation)
            .ConfigureAwait(false);
        var inputs = await PreferenceInputs.EmbedAsync(matches.All.Select(m => (m.UserId, m.Position, PositiveForm.For(m.Matched))), embedder, cancellation)
            .ConfigureAwait(false);
        return (inputs, matches);
    }
}
