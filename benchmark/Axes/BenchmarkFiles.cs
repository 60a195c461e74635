using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mender.Data;

namespace Mender.Benchmark.Axes;

/// <summary>
/// A benchmark folder: one JSONL file per axis (<c>axes/{axis}.jsonl</c>, one sample per line, users and items by the
/// dataset's own ids so the files read on their own) and <c>manifest.json</c>, written last: a folder with a manifest
/// is complete.
/// </summary>
public static class BenchmarkFiles
{
    /// <summary>The subfolder that holds the JSONL file of each axis.</summary>
    public const string AxesFolder = "axes";

    /// <summary>How the manifest (and each sample line, unindented) is written: snake_case names, nulls left out, text unescaped.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Preferences and titles stay readable in the files (no \uXXXX for '+', quotes or accents); nothing here is embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Line = new(Json) { WriteIndented = false };

    /// <summary>True when the folder holds a complete benchmark, that is, its manifest.</summary>
    public static bool Exists(string folder) => File.Exists(Path.Combine(folder, BenchmarkManifest.FileName));

    /// <summary>Writes the set into the folder, replacing what was there; the manifest is written last.</summary>
    /// <param name="set">The benchmark to write.</param>
    /// <param name="dataset">The dataset it was built from, whose external ids the files use.</param>
    /// <param name="folder">The benchmark folder; created if missing.</param>
    public static void Write(BenchmarkSet set, Dataset dataset, string folder)
    {
        var axes = Path.Combine(folder, AxesFolder);
        Directory.CreateDirectory(axes);
        var manifestPath = Path.Combine(folder, BenchmarkManifest.FileName);
        // A rebuild first withdraws the old manifest, so a half-rewritten folder never passes for a finished one.
        File.Delete(manifestPath);
        foreach (var axis in BenchmarkAxes.All)
        {
            var path = Path.Combine(axes, axis.FileName());
            using (var writer = new StreamWriter(path + ".tmp", false, new UTF8Encoding(false)))
                foreach (var sample in set[axis])
                    writer.WriteLine(JsonSerializer.Serialize(ToLine(sample, dataset), Line));
            File.Move(path + ".tmp", path, overwrite: true);
        }
        File.WriteAllText(manifestPath + ".tmp", JsonSerializer.Serialize(set.Manifest, Json) + "\n");
        File.Move(manifestPath + ".tmp", manifestPath, overwrite: true);
    }

    /// <summary>
    /// Reads the benchmark in the folder. A folder without a manifest is a <see cref="BenchmarkMissingException"/>; a
    /// malformed file, or one built for another dataset, is an <see cref="InvalidDataException"/>.
    /// </summary>
    /// <param name="folder">The benchmark folder.</param>
    /// <param name="dataset">The dataset the benchmark was built for, to turn its ids back into dense ones.</param>
    public static BenchmarkSet Read(string folder, Dataset dataset)
    {
        var manifestPath = Path.Combine(folder, BenchmarkManifest.FileName);
        if (!File.Exists(manifestPath))
            throw new BenchmarkMissingException(folder, manifestPath);
        BenchmarkManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<BenchmarkManifest>(File.ReadAllText(manifestPath), Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{manifestPath}: not a valid benchmark manifest: {ex.Message}", ex);
        }
        if (manifest is null || manifest.Format != BenchmarkManifest.FormatName)
            throw new InvalidDataException($"{manifestPath}: not a {BenchmarkManifest.FormatName} manifest");
        if (manifest.Dataset != dataset.Name)
            throw new InvalidDataException($"{manifestPath}: the benchmark was built for dataset '{manifest.Dataset}', not '{dataset.Name}'");

        var users = dataset.Users.ToDictionary(u => u.ExternalId, u => u.Id, StringComparer.Ordinal);
        var items = dataset.Items.ToDictionary(i => i.ExternalId, i => i.Id, StringComparer.Ordinal);
        var samples = new Dictionary<BenchmarkAxis, IReadOnlyList<BenchmarkSample>>();
        foreach (var axis in BenchmarkAxes.All)
        {
            var path = Path.Combine(folder, AxesFolder, axis.FileName());
            if (!File.Exists(path)) throw new FileNotFoundException($"benchmark axis file {path} is missing", path);
            var list = new List<BenchmarkSample>();
            var number = 0;
            foreach (var text in File.ReadLines(path))
            {
                number++;
                if (string.IsNullOrWhiteSpace(text)) continue;
                var where = $"{path}:{number}";
                SampleLine? line;
                try
                {
                    line = JsonSerializer.Deserialize<SampleLine>(text, Line);
                }
                catch (JsonException ex)
                {
                    throw new InvalidDataException($"{where}: malformed sample: {ex.Message}", ex);
                }
                if (line is null) throw new InvalidDataException($"{where}: empty sample");
                list.Add(FromLine(line, axis, users, items, where));
            }
            samples[axis] = list;
        }
        return new BenchmarkSet(manifest, samples);
    }

    private static SampleLine ToLine(BenchmarkSample s, Dataset dataset) => new(
        s.Axis.Name(),
        dataset.Users[s.UserId].ExternalId,
        s.Position,
        dataset.Users[s.HistoryUserId].ExternalId,
        s.History.Select(i => dataset.Items[i].ExternalId).ToArray(),
        dataset.Items[s.Target].ExternalId,
        s.Preferences.ToArray(),
        s.PairedItem is { } paired ? dataset.Items[paired].ExternalId : null,
        s.Similarity,
        s.Negative,
        s.Positive);

    private static BenchmarkSample FromLine(SampleLine line, BenchmarkAxis axis, Dictionary<string, int> users, Dictionary<string, int> items, string where)
    {
        if (line.Axis != axis.Name()) throw new InvalidDataException($"{where}: sample of axis '{line.Axis}' in the {axis.Name()} file");
        if (line.History is null || line.Preferences is null || line.User is null || line.HistoryUser is null || line.Target is null)
            throw new InvalidDataException($"{where}: a sample needs user, history_user, history, target and preferences");
        if (axis == BenchmarkAxis.Sentiment && (string.IsNullOrWhiteSpace(line.Negative) || string.IsNullOrWhiteSpace(line.Positive)))
            throw new InvalidDataException($"{where}: a sentiment sample needs both its negative and its positive preference");
        return new BenchmarkSample
        {
            Axis = axis,
            UserId = Lookup(users, line.User, "user", where),
            Position = line.Position,
            HistoryUserId = Lookup(users, line.HistoryUser, "user", where),
            History = line.History.Select(i => Lookup(items, i, "item", where)).ToArray(),
            Target = Lookup(items, line.Target, "item", where),
            Preferences = line.Preferences,
            PairedItem = line.PairedItem is null ? null : Lookup(items, line.PairedItem, "item", where),
            Similarity = line.Similarity,
            Negative = line.Negative,
            Positive = line.Positive,
        };
    }

    private static int Lookup(Dictionary<string, int> ids, string id, string kind, string where) =>
        ids.TryGetValue(id, out var dense) ? dense : throw new InvalidDataException($"{where}: {kind} '{id}' is not in the dataset");

    private sealed record SampleLine(
        string Axis,
        string? User,
        int Position,
        string? HistoryUser,
        string[]? History,
        string? Target,
        string[]? Preferences,
        string? PairedItem,
        float? Similarity,
        string? Negative,
        string? Positive);
}
