using Mender.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace Mender.Data;

/// <summary>
/// The embedding of the preference each target is paired with, keyed by (user id, target position in the user's
/// history). Built from whatever matched preferences to targets; a target without one gets a zero vector.
/// </summary>
public sealed class PreferenceInputs
{
    private readonly Dictionary<(int UserId, int Position), int> rows = [];
    private readonly List<float[]> vectors = [];

    /// <summary>An empty table of <paramref name="dimensions"/>-wide embeddings.</summary>
    public PreferenceInputs(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        Dimensions = dimensions;
    }

    /// <summary>The width of every embedding.</summary>
    public int Dimensions { get; }

    /// <summary>Targets with a preference.</summary>
    public int Count => rows.Count;

    /// <summary>Embeds the texts with <paramref name="embedder"/> (each distinct text once).</summary>
    public static async Task<PreferenceInputs> EmbedAsync(IEnumerable<(int UserId, int Position, string Text)> preferences,
        IEmbeddingGenerator<string, Embedding<float>> embedder, CancellationToken cancellation = default)
    {
        var list = preferences.ToList();
        var distinct = list.Select(p => p.Text).Distinct(StringComparer.Ordinal).ToList();
        var byText = new Dictionary<string, float[]>(StringComparer.Ordinal);
        const int chunk = 256;
        for (var start = 0; start < distinct.Count; start += chunk)
        {
            var part = distinct.GetRange(start, Math.Min(chunk, distinct.Count - start));
            var embedded = await embedder.GenerateAsync(part, cancellationToken: cancellation).ConfigureAwait(false);
            for (var i = 0; i < part.Count; i++) byText[part[i]] = embedded[i].Vector.ToArray();
        }
        var dimensions = byText.Count == 0 ? 0 : byText.Values.First().Length;
        if (dimensions == 0)
            throw new ArgumentException("no preference could be embedded: mender mode needs at least one matched preference");
        var inputs = new PreferenceInputs(dimensions);
        foreach (var (user, position, text) in list) inputs.Add(user, position, byText[text]);
        return inputs;
    }

    /// <summary>Pairs the target at <paramref name="position"/> of user <paramref name="userId"/> with <paramref name="vector"/>.</summary>
    public void Add(int userId, int position, float[] vector)
    {
        if (vector.Length != Dimensions)
            throw new ArgumentException($"preference embedding has {vector.Length} values, expected {Dimensions}");
        rows[(userId, position)] = vectors.Count;
        vectors.Add(vector);
    }

    /// <summary>The target's preference embedding; empty when it has none.</summary>
    public ReadOnlySpan<float> Vector(int userId, int position) =>
        rows.TryGetValue((userId, position), out var row) ? vectors[row] : ReadOnlySpan<float>.Empty;

    /// <summary>[cases, Dimensions]: each case's preference, zeros where it has none.</summary>
    public Tensor Matrix(IReadOnlyList<TrainingSample> cases)
    {
        var matrix = new Tensor(cases.Count, Dimensions);
        var span = matrix.Span;
        for (var i = 0; i < cases.Count; i++)
            Vector(cases[i].UserId, cases[i].TargetIndex).CopyTo(span.Slice(i * Dimensions, Dimensions));
        return matrix;
    }
}
