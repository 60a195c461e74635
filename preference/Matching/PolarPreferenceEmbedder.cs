using System.Numerics.Tensors;
using Mender.Preference.Sentiment;
using Microsoft.Extensions.AI;

namespace Mender.Preference.Matching;

/// <summary>
/// Embeds preferences as the recommender reads them, so that their polarity survives the embedding. A text embedder
/// fitted on item texts puts "avoids rose scents" and "likes rose scents" at one point (cosine ≥ 0.99 with the lexical
/// embedder: the verbs are not in its vocabulary, and a bag of words does not read negation), and a model given that
/// vector cannot tell the two apart. Here a preference is embedded as what it is about — its positive form, as in
/// matching — and a negative one points the opposite way, away from the items the positive form is near. Several
/// preferences at once (history consolidation) are the normalised sum of their signed vectors. The sentiment of free
/// text comes from <see cref="LexiconSentimentClassifier"/>; stored preferences bring their own.
/// </summary>
public sealed class PolarPreferenceEmbedder(IEmbeddingGenerator<string, Embedding<float>> inner) : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>Recorded with the artefacts that read preferences through this encoding.</summary>
    public const string EncodingName = "polar";

    private readonly EmbeddingGeneratorMetadata metadata = new(
        nameof(PolarPreferenceEmbedder), defaultModelId: $"{EncodingName}({inner.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? inner.GetType().Name})");

    /// <summary>Each text read as one preference, its sentiment classified from the text.</summary>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var texts = values.ToList();
        var vectors = await EmbedAsync(texts.Select(t => (IReadOnlyList<UserPreference>)[Classified(t)]).ToList(), cancellationToken).ConfigureAwait(false);
        return new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v)));
    }

    /// <summary>One vector per group of preferences: the normalised sum of their signed vectors, zeros for an empty group.</summary>
    public async Task<float[][]> EmbedAsync(IReadOnlyList<IReadOnlyList<UserPreference>> groups, CancellationToken cancellationToken = default)
    {
        var forms = groups.SelectMany(g => g).Select(PositiveForm.For).Distinct(StringComparer.Ordinal).ToList();
        var byForm = new Dictionary<string, float[]>(StringComparer.Ordinal);
        const int chunk = 256;
        for (var start = 0; start < forms.Count; start += chunk)
        {
            var part = forms.GetRange(start, Math.Min(chunk, forms.Count - start));
            var embedded = await inner.GenerateAsync(part, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embedded.Count != part.Count)
                throw new InvalidOperationException($"the embedder returned {embedded.Count} embeddings for {part.Count} texts");
            for (var i = 0; i < part.Count; i++) byForm[part[i]] = embedded[i].Vector.ToArray();
        }

        var width = byForm.Count == 0 ? 0 : byForm.Values.First().Length;
        var result = new float[groups.Count][];
        for (var g = 0; g < groups.Count; g++)
        {
            var sum = new float[width];
            foreach (var preference in groups[g])
            {
                var vector = byForm[PositiveForm.For(preference)];
                if (vector.Length != width)
                    throw new InvalidOperationException($"the embedder returned vectors of different widths ({width} and {vector.Length})");
                var sign = preference.Sentiment == PreferenceSentiment.Negative ? -1f : 1f;
                TensorPrimitives.MultiplyAdd(vector, sign, sum, sum);
            }
            var norm = TensorPrimitives.Norm(sum);
            if (norm > 0) TensorPrimitives.Divide(sum, norm, sum);
            result[g] = sum;
        }
        return result;
    }

    /// <summary>A free-text preference with the sentiment the lexicon reads in it.</summary>
    public static UserPreference Classified(string text) => new(text, LexiconSentimentClassifier.Classify(text));

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : inner.GetService(serviceType, serviceKey);

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
