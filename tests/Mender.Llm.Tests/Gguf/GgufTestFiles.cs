using System.Text;
using Mender.Llm.Gguf;

namespace Mender.Llm.Tests.Gguf;

/// <summary>Small GGUF files built in memory for reader tests, and helpers to corrupt them at known places.</summary>
internal static class GgufTestFiles
{
    /// <summary>A valid file: a few metadata values, an F32 matrix and a Q8_0 matrix.</summary>
    public static byte[] Small()
    {
        var w = new GgufWriter();
        w.Set("general.architecture", GgufValue.Of("llama"));
        w.Set("llama.block_count", GgufValue.Of(2u));
        w.Set("tokenizer.ggml.tokens", GgufValue.Array(["a", "b", "c"]));
        w.Set("tokenizer.ggml.scores", GgufValue.Array([0.5f, -1f, 2f]));
        var f32 = new byte[4 * 8 * 3];
        for (var i = 0; i < f32.Length; i++) f32[i] = (byte)i;
        w.AddTensor("first.weight", GgmlType.F32, [8, 3], f32);
        var q8 = new byte[34 * 2];
        for (var i = 0; i < q8.Length; i++) q8[i] = (byte)(255 - i);
        w.AddTensor("second.weight", GgmlType.Q8_0, [32, 2], q8);
        var stream = new MemoryStream();
        w.Write(stream);
        return stream.ToArray();
    }

    /// <summary>Offset of the first occurrence of a length-prefixed string (as GGUF stores names and keys).</summary>
    public static int OffsetAfterString(byte[] file, string s)
    {
        var needle = new byte[8 + Encoding.UTF8.GetByteCount(s)];
        BitConverter.TryWriteBytes(needle.AsSpan(0, 8), (ulong)(needle.Length - 8));
        Encoding.UTF8.GetBytes(s, needle.AsSpan(8));
        var at = file.AsSpan().IndexOf(needle);
        if (at < 0) throw new InvalidOperationException($"'{s}' not found in the test file");
        return at + needle.Length;
    }

    public static byte[] With(byte[] file, int offset, ulong value, int width)
    {
        var copy = (byte[])file.Clone();
        if (width == 8) BitConverter.TryWriteBytes(copy.AsSpan(offset, 8), value);
        else BitConverter.TryWriteBytes(copy.AsSpan(offset, 4), (uint)value);
        return copy;
    }

    public static GgufFile OpenBytes(byte[] bytes, string directory)
    {
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".gguf");
        File.WriteAllBytes(path, bytes);
        return GgufFile.Open(path);
    }
}
