using System.Text.Json;
using Mender.Numerics.Checkpoints;
using Mender.Numerics.Modules;

namespace Mender.Data.Runs;

/// <summary>
/// A run or checkpoint directory as `mender train` leaves it (config.json and model.safetensors), opened the one way
/// every reader of checkpoints opens it: the full path, checked to hold a checkpoint, and the method it was trained by.
/// </summary>
public sealed class RunDirectory
{
    /// <summary>The method of tiger- and mender-mode checkpoints.</summary>
    public const string Mender = "mender";

    /// <summary>The method of SASRec checkpoints.</summary>
    public const string SasRec = "sasrec";

    // The config.json key that names the method; what a checkpoint without it holds is a Mender model.
    private const string MethodKey = "Method";

    private RunDirectory(string path, string method)
    {
        Path = path;
        Method = method;
    }

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>The checkpoint's method from its config.json ("mender" when it does not say: tiger and mender modes).</summary>
    public string Method { get; }

    /// <summary>Whether <paramref name="directory"/> holds both files of a checkpoint.</summary>
    public static bool HoldsCheckpoint(string directory) =>
        File.Exists(System.IO.Path.Combine(directory, Checkpoint.ConfigFile)) && File.Exists(System.IO.Path.Combine(directory, Checkpoint.WeightsFile));

    /// <summary>Opens <paramref name="directory"/>, which must exist and hold a config.json that is valid JSON.</summary>
    public static RunDirectory Open(string directory)
    {
        var full = System.IO.Path.GetFullPath(directory);
        if (!Directory.Exists(full)) throw new FileNotFoundException($"checkpoint directory {full} does not exist", full);
        var config = System.IO.Path.Combine(full, Checkpoint.ConfigFile);
        if (!File.Exists(config)) throw new FileNotFoundException($"{full} holds no checkpoint ({Checkpoint.ConfigFile} is missing)", config);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(config));
            var method = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(MethodKey, out var m)
                ? m.GetString() ?? Mender
                : Mender;
            return new RunDirectory(full, method);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{config} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The configuration config.json records, read as <typeparamref name="TConfig"/>.</summary>
    public TConfig ReadConfig<TConfig>() => Checkpoint.LoadConfig<TConfig>(Path);

    /// <summary>Copies the weights of model.safetensors into <paramref name="model"/>, which must have exactly their names and shapes.</summary>
    public void LoadWeightsInto(Module model) => Checkpoint.LoadInto(Path, model);
}
