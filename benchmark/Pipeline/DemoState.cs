using System.Text.Json;

namespace Mender.Benchmark.Pipeline;

/// <summary>
/// stages.json of a demo folder: per stage, the key of the inputs it was run with (settings plus the keys of the stages
/// it reads) and whether it finished. A stage whose key still matches is reused when finished and resumed when not; a
/// stage whose inputs changed has its artefacts removed and runs again, and so, through their keys, do the stages after it.
/// </summary>
internal sealed class DemoState
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
    private readonly string path;
    private readonly Dictionary<string, Entry> entries;

    private DemoState(string path, Dictionary<string, Entry> entries)
    {
        this.path = path;
        this.entries = entries;
    }

    public static DemoState Load(string path)
    {
        if (!File.Exists(path)) return new DemoState(path, []);
        try
        {
            return new DemoState(path, JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllText(path), Json) ?? []);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid demo state file ({e.Message}); delete it to start the demo afresh", e);
        }
    }

    /// <summary>
    /// Whether the stage can be reused or resumed; otherwise (new or changed inputs, or artefacts gone) its
    /// <paramref name="artefacts"/> are removed so that it starts clean. Marks the stage as started with <paramref name="key"/>.
    /// </summary>
    public DemoStageStatus Begin(string stage, string key, params string[] artefacts)
    {
        // A finished stage whose artefacts were deleted since is run again.
        if (entries.TryGetValue(stage, out var entry) && entry.Key == key && artefacts.All(a => Directory.Exists(a) || File.Exists(a)))
            return entry.Finished ? DemoStageStatus.Reused : DemoStageStatus.Resumed;
        foreach (var artefact in artefacts)
        {
            if (Directory.Exists(artefact)) Directory.Delete(artefact, recursive: true);
            else if (File.Exists(artefact)) File.Delete(artefact);
        }
        entries[stage] = new Entry(key, false);
        Save();
        return DemoStageStatus.Done;
    }

    public void Finish(string stage)
    {
        entries[stage] = entries[stage] with { Finished = true };
        Save();
    }

    private void Save()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(entries, Json) + "\n");
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private sealed record Entry(string Key, bool Finished);
}
