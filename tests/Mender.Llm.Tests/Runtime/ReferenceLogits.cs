using System.Globalization;
using Mender.TestSupport;

namespace Mender.Llm.Tests.Runtime;

/// <summary>Reads ../shared/models/reference: token sequences and logit files (one float per line).</summary>
internal static class ReferenceLogits
{
    public const string Folder = "models/reference";

    public static int[] Sequence(string name) =>
        File.ReadAllText(SharedData.PathOf($"{Folder}/{name}.ids")).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The logits file, or null when the folder has none of that name.</summary>
    public static float[]? Read(string file)
    {
        var path = Path.Combine(SharedData.PathOf(Folder), "logits", file);
        if (!File.Exists(path)) return null;
        return File.ReadLines(path).Where(l => l.Length > 0).Select(l => float.Parse(l, CultureInfo.InvariantCulture)).ToArray();
    }

    public static (double RelativeL2, double MaxAbs) Compare(ReadOnlySpan<float> actual, float[] expected)
    {
        if (actual.Length != expected.Length)
            throw new InvalidOperationException($"{actual.Length} logits against {expected.Length} reference values");
        double diff = 0, norm = 0, max = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var d = (double)actual[i] - expected[i];
            diff += d * d;
            norm += (double)expected[i] * expected[i];
            max = Math.Max(max, Math.Abs(d));
        }
        return (Math.Sqrt(diff / norm), max);
    }
}
