using System.Numerics.Tensors;
using Mender.Data;
using Mender.Data.Text;
using Mender.Preference.Sentiment;
using Mender.Preference.Storage;
using Microsoft.Extensions.AI;

namespace Mender.Preference.Matching;

/// <summary>
/// Pairs every recommendation target with the preference of the previous time step that is most similar (cosine) to
/// the target item's text embedding, as Mender does. Negative preferences are compared in their positive form
/// ("avoids glitter" is compared as "glitter"), so that an item with glitter is the one the preference concerns.
/// Each distinct item text and preference text is embedded once. Works with any embedder; item texts default to
/// <see cref="ItemText.Render"/>.
/// </summary>
public sealed class PreferenceMatcher(IEmbeddingGenerator<string, Embedding<float>> embedder, Func<Item, string>? itemText = null)
{
    private const int BatchSize = 256;
    private readonly Func<Item, string> itemText = itemText ?? ItemText.Render;

    /// <summary>Matches the completed preferences of a store to the items each user bought next.</summary>
    public Task<PreferenceMatches> MatchAsync(Dataset dataset, PreferenceStore store, CancellationToken cancellationToken = default) =>
        MatchAsync(dataset, store.LoadTable(), SlidingWindowTargets(dataset), cancellationToken);

    /// <summary>Matches preferences already loaded in memory to the items each user bought next.</summary>
    public Task<PreferenceMatches> MatchAsync(Dataset dataset, PreferenceTable table, CancellationToken cancellationToken = default) =>
        MatchAsync(dataset, table, SlidingWindowTargets(dataset), cancellationToken);

    /// <summary>Every position after the first of every user: the targets of sliding-window training and evaluation.</summary>
    public static IEnumerable<(int UserId, int Position)> SlidingWindowTargets(Dataset dataset)
    {
        foreach (var user in dataset.Users)
            for (var position = 1; position < user.Interactions.Count; position++)
                yield return (user.Id, position);
    }

    /// <summary>Matches the given targets (user id, position in the user's history).</summary>
    public async Task<PreferenceMatches> MatchAsync(Dataset dataset, PreferenceTable table, IEnumerable<(int UserId, int Position)> targets,
        CancellationToken cancellationToken = default)
    {
        if (table.Dataset is { } stored && stored != dataset.Name)
            throw new InvalidDataException($"the preferences were written for dataset '{stored}', not '{dataset.Name}'");
        var pending = new List<(User User, int Position, int ItemId, IReadOnlyList<UserPreference> Preferences)>();
        var targetCount = 0;
        foreach (var (userId, position) in targets)
        {
            targetCount++;
            if ((uint)userId >= (uint)dataset.Users.Count)
                throw new ArgumentException($"target user {userId} is not in dataset '{dataset.Name}' ({dataset.Users.Count} users)");
            var user = dataset.Users[userId];
            if (position < 1 || position >= user.Interactions.Count)
                throw new ArgumentException($"target position {position} is outside user '{user.ExternalId}''s history 1..{user.Interactions.Count - 1}");
            var preferences = table.At(user.ExternalId, position - 1);
            if (preferences is null || preferences.Count == 0) continue;
            pending.Add((user, position, user.Interactions[position].ItemId, preferences));
        }

        var itemRows = new Dictionary<int, int>();
        var itemTexts = new List<string>();
        var preferenceRows = new Dictionary<string, int>(StringComparer.Ordinal);
        var preferenceTexts = new List<string>();
        foreach (var (_, _, itemId, preferences) in pending)
        {
            if (!itemRows.ContainsKey(itemId))
            {
                itemRows[itemId] = itemTexts.Count;
                itemTexts.Add(this.itemText(dataset.Items[itemId]));
            }
            foreach (var preference in preferences)
            {
                var text = PositiveForm.For(preference);
                if (preferenceRows.TryAdd(text, preferenceTexts.Count)) preferenceTexts.Add(text);
            }
        }

        var itemVectors = await EmbedAsync(itemTexts, cancellationToken).ConfigureAwait(false);
        var preferenceVectors = await EmbedAsync(preferenceTexts, cancellationToken).ConfigureAwait(false);

        var matches = new List<PreferenceMatch>(pending.Count);
        foreach (var (user, position, itemId, preferences) in pending)
        {
            var item = itemVectors[itemRows[itemId]];
            var best = -1;
            var bestSimilarity = float.NegativeInfinity;
            for (var i = 0; i < preferences.Count; i++)
            {
                var similarity = Cosine(item, preferenceVectors[preferenceRows[PositiveForm.For(preferences[i])]]);
                if (similarity > bestSimilarity)
                {
                    best = i;
                    bestSimilarity = similarity;
                }
            }
            matches.Add(new PreferenceMatch(user.Id, user.ExternalId, position, itemId, position - 1, preferences[best], best, bestSimilarity, preferences));
        }
        var name = embedder.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? embedder.GetType().Name;
        return new PreferenceMatches(matches, targetCount, name);
    }

    private async Task<float[][]> EmbedAsync(List<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new float[texts.Count][];
        for (var start = 0; start < texts.Count; start += BatchSize)
        {
            var batch = texts.GetRange(start, Math.Min(BatchSize, texts.Count - start));
            var embeddings = await embedder.GenerateAsync(batch, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != batch.Count)
                throw new InvalidOperationException($"the embedder returned {embeddings.Count} embeddings for {batch.Count} texts");
            for (var i = 0; i < batch.Count; i++) vectors[start + i] = embeddings[i].Vector.ToArray();
        }
        return vectors;
    }

    /// <summary>Cosine similarity; a zero vector (a text with no known word) is similar to nothing.</summary>
    private static float Cosine(float[] a, float[] b)
    {
        if (a.Length != b.Length)
            throw new InvalidOperationException($"the embedder returned vectors of different widths ({a.Length} and {b.Length})");
        var norms = TensorPrimitives.Norm(a) * TensorPrimitives.Norm(b);
        return norms > 0 ? TensorPrimitives.Dot(a, b) / norms : 0f;
    }
}
