using Mender.Preference;
using Mender.Preference.Conversation;
using Mender.Preference.Matching;
using Microsoft.Extensions.AI;

namespace Mender.Service.Pipeline;

/// <summary>
/// A preference's vector through the polar encoding: "avoids X" points away from what "likes X" points to. The model
/// and the cold-start mixer read the same vector, so that what one pushes down the other does not pull up.
/// </summary>
internal static class PreferenceEncoder
{
    /// <summary>
    /// A typed preference is read as a conversation's turns are ("for dry skin, no fragrance" has a positive and a
    /// negative part), and its parts are summed with their signs.
    /// </summary>
    public static async Task<float[]> EncodeAsync(IEmbeddingGenerator<string, Embedding<float>> embedder, string preference, CancellationToken cancellationToken)
    {
        var combined = ConversationPreference.Of(preference);
        IReadOnlyList<UserPreference> parts = combined.IsEmpty ? [PolarPreferenceEmbedder.Classified(preference)] : combined.Parts;
        return (await new PolarPreferenceEmbedder(embedder).EmbedAsync([parts], cancellationToken).ConfigureAwait(false))[0];
    }
}
