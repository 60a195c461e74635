using System.Text.Json;

namespace Mender.Benchmark.Results;

/// <summary>
/// One `mender train` command that worked on a run directory: its provenance, and where training stood when it ended.
/// A run directory keeps every such command (an interrupted run resumed is several), so that an evaluation of its
/// checkpoint can say which commands made it and how long they took.
/// </summary>
/// <param name="Provenance">The command, commit, start, wall time (dataset loading, semantic IDs and probes included) and seed.</param>
/// <param name="Steps">Training steps done when the command ended.</param>
/// <param name="BestStep">The step of the kept (best validated) weights.</param>
/// <param name="StopReason">Why the command stopped training.</param>
public sealed record TrainingRecord(Provenance Provenance, long Steps, long BestStep, string StopReason)
{
    /// <summary>The file in a run directory holding its training commands, oldest first.</summary>
    public const string FileName = "training-commands.json";

    /// <summary>The training commands recorded in <paramref name="runDirectory"/>, oldest first; empty when none were.</summary>
    public static IReadOnlyList<TrainingRecord> ReadAll(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<TrainingRecord>>(File.ReadAllText(path), EvalRecord.Json)
                ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a list of training commands: {e.Message}", e);
        }
    }

    /// <summary>
    /// The <see cref="StopReason"/> of a command that has not ended yet: noted at each validation, a command killed
    /// before it could say how it ended still counts the time it trained.
    /// </summary>
    public const string Unfinished = "Unfinished";

    /// <summary>
    /// Writes this command into the run directory's list, in place of an earlier note of the same command (same command
    /// line and start) or else at the end, replacing the file only once the new one is written.
    /// </summary>
    public void WriteTo(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        var all = ReadAll(runDirectory).Where(r => r.Provenance.StartedAt != Provenance.StartedAt || r.Provenance.Command != Provenance.Command)
            .Append(this).ToList();
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(all, EvalRecord.Json) + "\n");
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
