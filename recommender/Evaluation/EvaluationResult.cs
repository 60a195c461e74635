using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mender.Recommender.SemanticIds;

namespace Mender.Recommender.Evaluation;

/// <summary>One held-out case's outcome: the target's 0-based rank in the top list (−1 when absent) and the list.</summary>
public sealed record UserResult(
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("rank")] int Rank,
    [property: JsonPropertyName("recommended")] IReadOnlyList<string> Recommended);

/// <summary>Mean Recall@5/10 and NDCG@5/10 over the evaluated users, with each user's result.</summary>
public sealed record EvaluationResult(double RecallAt5, double RecallAt10, double NdcgAt5, double NdcgAt10, int Users, IReadOnlyList<UserResult> PerUser)
{
    /// <summary>Writes one JSON object per user (JSONL).</summary>
    public void ExportJsonl(string path) => AtomicFile.Write(path, temp =>
    {
        using var writer = new StreamWriter(temp, false, new UTF8Encoding(false));
        foreach (var user in PerUser) writer.WriteLine(JsonSerializer.Serialize(user));
    });
}
