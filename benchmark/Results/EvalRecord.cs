using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mender.Benchmark.Results;

/// <summary>A saved `mender eval` result: leave-one-out Recall/NDCG@5/10 of one method on one dataset, and its provenance.</summary>
public sealed record EvalRecord(string Dataset, string Method, string Split, int Users, double RecallAt5, double RecallAt10, double NdcgAt5,
    double NdcgAt10, Provenance Provenance)
{
    /// <summary>Tells eval records from the other result files a results folder holds.</summary>
    public string Kind { get; init; } = RecordKind;

    /// <summary>
    /// The `mender train` commands that made the evaluated checkpoint, oldest first; null for a baseline, empty for a run
    /// directory from before they were recorded.
    /// </summary>
    public IReadOnlyList<TrainingRecord>? Training { get; init; }

    /// <summary>The <see cref="Kind"/> of eval records.</summary>
    public const string RecordKind = "eval";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Saves the record as JSON, replacing the file only once the new one is written.</summary>
    public void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(this, Json) + "\n");
        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>The record in <paramref name="path"/>; null when the file is JSON of another kind.</summary>
    public static EvalRecord? Read(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (!document.RootElement.TryGetProperty("kind", out var kind) || kind.GetString() != RecordKind) return null;
            return document.RootElement.Deserialize<EvalRecord>(Json) ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a result file: {e.Message}", e);
        }
    }
}
