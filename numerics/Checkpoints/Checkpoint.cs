using System.Text.Json;
using Mender.Numerics.Modules;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Checkpoints;

/// <summary>
/// A model checkpoint directory: model.safetensors (parameters by dotted name) and config.json (whatever
/// configuration rebuilds the model). Loading checks that the file holds exactly the model's parameters with the
/// same shapes and float32 dtype.
/// </summary>
public static class Checkpoint
{
    /// <summary>The parameters' file name inside a checkpoint directory.</summary>
    public const string WeightsFile = "model.safetensors";
    /// <summary>The configuration's file name inside a checkpoint directory.</summary>
    public const string ConfigFile = "config.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        // A damaged config.json with null where the configuration has no null is reported as invalid, not met later as a NullReferenceException.
        RespectNullableAnnotations = true,
    };

    /// <summary>Writes the parameters and the configuration into the directory (created if needed).</summary>
    public static void Save<TConfig>(string directory, Module model, TConfig config, IReadOnlyDictionary<string, string>? metadata = null)
    {
        Directory.CreateDirectory(directory);
        SaveParameters(Path.Combine(directory, WeightsFile), model, metadata);
        var configPath = Path.Combine(directory, ConfigFile);
        var temp = configPath + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(config, JsonOptions));
        File.Move(temp, configPath, overwrite: true);
    }

    /// <summary>Reads config.json from a checkpoint directory.</summary>
    public static TConfig LoadConfig<TConfig>(string directory)
    {
        var path = Path.Combine(directory, ConfigFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint config {path} does not exist", path);
        try
        {
            return JsonSerializer.Deserialize<TConfig>(File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"checkpoint config {path} is empty");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"checkpoint config {path} is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>Loads model.safetensors from a checkpoint directory into the model.</summary>
    public static void LoadInto(string directory, Module model) => LoadParameters(Path.Combine(directory, WeightsFile), model);

    /// <summary>Writes the model's parameters, by dotted name, to a safetensors file with optional header metadata.</summary>
    public static void SaveParameters(string path, Module model, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensors.Save(path, model.NamedParameters(), metadata);

    /// <summary>
    /// Copies tensors from a safetensors file into the model's parameters. Every parameter must be present with its
    /// exact shape and dtype F32, and the file may hold nothing else.
    /// </summary>
    public static void LoadParameters(string path, Module model)
    {
        var file = SafeTensors.Load(path);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, parameter) in model.NamedParameters())
        {
            if (!file.Tensors.TryGetValue(name, out var stored))
                throw new InvalidDataException($"checkpoint {path} lacks tensor '{name}' (expected {ShapeOps.Format(parameter.Shape)})");
            if (file.DTypes[name] != "F32")
                throw new InvalidDataException($"tensor '{name}' in {path} has dtype {file.DTypes[name]}, expected F32");
            if (!stored.Shape.SequenceEqual(parameter.Shape))
                throw new InvalidDataException($"tensor '{name}' in {path} has shape {ShapeOps.Format(stored.Shape)}, the model expects {ShapeOps.Format(parameter.Shape)}");
            // One NaN or infinity poisons every score computed from the model, which would rank items by garbage.
            var bad = IndexOfNonFinite(stored.Span);
            if (bad >= 0)
                throw new InvalidDataException($"tensor '{name}' in {path} holds {stored.Span[bad]} at element {bad}: the weights are damaged or training diverged");
            seen.Add(name);
        }
        var unexpected = file.Tensors.Keys.Where(k => !seen.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (unexpected.Count > 0)
            throw new InvalidDataException($"checkpoint {path} holds tensors the model does not have: {string.Join(", ", unexpected.Take(5))}" +
                (unexpected.Count > 5 ? $" and {unexpected.Count - 5} more" : ""));
        // Only after everything checked out, so a failed load leaves the model untouched.
        foreach (var (name, parameter) in model.NamedParameters()) file.Tensors[name].Span.CopyTo(parameter.Span);
    }

    private static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }
}
