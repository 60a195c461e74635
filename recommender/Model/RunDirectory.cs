using System.Text.Json;
using Mender.Numerics.Checkpoints;

namespace Mender.Recommender.Model;

/// <summary>What `mender train` leaves in a run directory: which method's checkpoint it holds.</summary>
public static class RunDirectory
{
    public const string Mender = "mender";
    public const string SasRec = "sasrec";

    /// <summary>The checkpoint's method from its config.json ("mender" when it does not say: tiger and mender modes).</summary>
    public static string MethodOf(string directory)
    {
        var path = Path.Combine(directory, Checkpoint.ConfigFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{directory} holds no checkpoint ({Checkpoint.ConfigFile} is missing)", path);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.TryGetProperty("Method", out var method) ? method.GetString() ?? Mender : Mender;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
