using System.IO.Compression;
using System.Text;
using Mender.Numerics.Checkpoints;

namespace Mender.Cli.Tests;

/// <summary>
/// Damaged copies of good inputs, written by the tests themselves into <see cref="Inputs"/>: datasets, gzip files,
/// configs, checkpoints and a GGUF header. <see cref="Work"/> is where commands are told to write.
/// </summary>
internal sealed class BadInputs
{
    public BadInputs(string root)
    {
        Inputs = Path.Combine(root, "inputs");
        Work = Path.Combine(root, "work");
        Directory.CreateDirectory(Inputs);
        Directory.CreateDirectory(Work);
    }

    public string Inputs { get; }
    public string Work { get; }

    public string In(string name) => Path.Combine(Inputs, name);

    public string Text(string name, string text)
    {
        var path = In(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string Bytes(string name, byte[] bytes)
    {
        var path = In(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static byte[] Gzip(string text)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return buffer.ToArray();
    }

    /// <summary>Sequences of <paramref name="users"/> users over 12 items, each history a walk of 6 items.</summary>
    public static string Sequences(int users) =>
        string.Concat(Enumerable.Range(0, users).Select(u => $"U{u} " + string.Join(' ', Enumerable.Range(0, 6).Select(t => $"I{(u + t * 5) % 12}")) + "\n"));

    /// <summary>A copy of <paramref name="checkpoint"/> whose weights <paramref name="damage"/> rewrites.</summary>
    public string Checkpoint(string name, string checkpoint, Action<string> damage)
    {
        var copy = In(name);
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(checkpoint)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        damage(copy);
        return copy;
    }

    /// <summary>Sets one weight of the checkpoint in <paramref name="directory"/> to NaN, keeping the file well-formed.</summary>
    public static void PoisonWeights(string directory)
    {
        var path = Path.Combine(directory, Numerics.Checkpoints.Checkpoint.WeightsFile);
        var file = SafeTensors.Load(path);
        var tensors = file.Tensors.ToDictionary(t => t.Key, t => t.Value);
        var first = tensors.Keys.Order(StringComparer.Ordinal).First();
        tensors[first].Span[0] = float.NaN;
        SafeTensors.Save(path, tensors.OrderBy(t => t.Key, StringComparer.Ordinal), file.Metadata);
    }

    public static void Truncate(string path, double keep)
    {
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keep)]);
    }

    public static void Overwrite(string path, int offset, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.Position = offset;
        stream.Write(bytes);
    }
}
