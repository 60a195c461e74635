namespace Mender.Recommender.ColdStart;

/// <summary>
/// A candidate of the hybrid ranking: a catalogue item the model generated (<see cref="Item"/> its dense id,
/// <see cref="ColdStartIndex"/> -1) or a cold-start item (<see cref="Item"/> -1). <see cref="Similarity"/> is its text's
/// cosine with the query, <see cref="Score"/> the hybrid score.
/// </summary>
public readonly record struct HybridCandidate(int Item, int ColdStartIndex, float Score, float Similarity)
{
    /// <summary>True when the candidate comes from the cold-start catalogue rather than the trained model.</summary>
    public bool IsColdStart => ColdStartIndex >= 0;
}
