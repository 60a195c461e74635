using System.Text;

namespace Mender.Llm.Gguf;

/// <summary>
/// Writes GGUF v3 files: metadata in insertion order, then the tensor table, then the tensor data, each tensor aligned.
/// Tensor data is produced by a callback at write time so that multi-gigabyte models stream to disk.
/// </summary>
public sealed class GgufWriter
{
    private readonly List<KeyValuePair<string, GgufValue>> metadata = [];
    private readonly Dictionary<string, int> metadataIndex = new(StringComparer.Ordinal);
    private readonly List<PendingTensor> tensors = [];
    private readonly HashSet<string> tensorNames = new(StringComparer.Ordinal);

    private sealed record PendingTensor(string Name, GgmlType Type, long[] Dimensions, long ByteSize, Action<Stream> WriteData);

    /// <summary>A writer with no metadata or tensors yet; the alignment must be a power of two.</summary>
    public GgufWriter(int alignment = GgufFile.DefaultAlignment)
    {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
            throw new ArgumentException($"alignment {alignment} is not a power of two", nameof(alignment));
        Alignment = alignment;
        if (alignment != GgufFile.DefaultAlignment)
            Set("general.alignment", GgufValue.Of((uint)alignment));
    }

    /// <summary>The alignment the tensor data is padded to.</summary>
    public int Alignment { get; }

    /// <summary>Adds or replaces a metadata value (a replaced key keeps its original position).</summary>
    public void Set(string key, GgufValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key == "general.alignment" && value.AsInteger() != Alignment)
            throw new ArgumentException("general.alignment is set from the writer's alignment", nameof(value));
        if (metadataIndex.TryGetValue(key, out var index))
            this.metadata[index] = new(key, value);
        else
        {
            metadataIndex[key] = this.metadata.Count;
            this.metadata.Add(new(key, value));
        }
    }

    /// <summary>Adds a tensor whose bytes are given now.</summary>
    public void AddTensor(string name, GgmlType type, long[] dimensions, ReadOnlyMemory<byte> data)
    {
        var expected = ByteSizeOf(type, dimensions);
        if (data.Length != expected)
            throw new ArgumentException($"tensor '{name}': {data.Length} bytes given, its shape needs {expected}", nameof(data));
        AddTensor(name, type, dimensions, stream => stream.Write(data.Span));
    }

    /// <summary>Adds a tensor whose bytes <paramref name="writeData"/> writes at write time (exactly the shape's byte size).</summary>
    public void AddTensor(string name, GgmlType type, long[] dimensions, Action<Stream> writeData)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (dimensions.Length is 0 or > GgufHeaderReader.MaxDimensions)
            throw new ArgumentException($"tensor '{name}': {dimensions.Length} dimensions, 1 to {GgufHeaderReader.MaxDimensions} allowed", nameof(dimensions));
        if (!tensorNames.Add(name))
            throw new ArgumentException($"tensor '{name}' added twice", nameof(name));
        tensors.Add(new PendingTensor(name, type, (long[])dimensions.Clone(), ByteSizeOf(type, dimensions), writeData));
    }

    /// <summary>The bytes a tensor of that type and shape takes, quantization blocks included.</summary>
    public static long ByteSizeOf(GgmlType type, long[] dimensions)
    {
        long rows = 1;
        for (var d = 1; d < dimensions.Length; d++) rows = checked(rows * dimensions[d]);
        return checked(GgmlTypeInfo.RowBytes(type, dimensions[0]) * rows);
    }

    /// <summary>Writes the GGUF file to a path, replacing any file there.</summary>
    public void Write(string path)
    {
        var temp = path + ".partial";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
                Write(stream);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Writes the GGUF file to a stream: header, metadata, tensor infos, then the aligned data.</summary>
    public void Write(Stream stream)
    {
        var header = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        header.Write(GgufHeaderReader.Magic);
        header.Write(3u);
        header.Write((ulong)tensors.Count);
        header.Write((ulong)this.metadata.Count);
        foreach (var (key, value) in this.metadata)
        {
            WriteString(header, key);
            header.Write((uint)value.Type);
            WriteValue(header, value);
        }
        long offset = 0;
        var offsets = new long[tensors.Count];
        for (var i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            WriteString(header, t.Name);
            header.Write((uint)t.Dimensions.Length);
            foreach (var d in t.Dimensions) header.Write((ulong)d);
            header.Write((uint)t.Type);
            header.Write((ulong)offset);
            offsets[i] = offset;
            offset = AlignUp(offset + t.ByteSize);
        }
        header.Flush();
        var position = stream.Position;
        Pad(stream, AlignUp(position) - position);

        for (var i = 0; i < tensors.Count; i++)
        {
            var t = tensors[i];
            var start = stream.Position;
            t.WriteData(stream);
            var written = stream.Position - start;
            if (written != t.ByteSize)
                throw new InvalidOperationException($"tensor '{t.Name}': {written} bytes written, its shape needs {t.ByteSize}");
            Pad(stream, AlignUp(t.ByteSize) - t.ByteSize);
        }
        stream.Flush();
    }

    private long AlignUp(long x) => (x + Alignment - 1) / Alignment * Alignment;

    private static void Pad(Stream stream, long count)
    {
        Span<byte> zeros = stackalloc byte[64];
        zeros.Clear();
        while (count > 0)
        {
            var n = (int)Math.Min(count, zeros.Length);
            stream.Write(zeros[..n]);
            count -= n;
        }
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void WriteValue(BinaryWriter w, GgufValue value)
    {
        switch (value.Value)
        {
            case byte v: w.Write(v); break;
            case sbyte v: w.Write(v); break;
            case ushort v: w.Write(v); break;
            case short v: w.Write(v); break;
            case uint v: w.Write(v); break;
            case int v: w.Write(v); break;
            case float v: w.Write(v); break;
            case bool v: w.Write((byte)(v ? 1 : 0)); break;
            case string v: WriteString(w, v); break;
            case ulong v: w.Write(v); break;
            case long v: w.Write(v); break;
            case double v: w.Write(v); break;
            case Array array: WriteArray(w, value.ElementType, array); break;
            default: throw new ArgumentException($"cannot write a metadata value of CLR type {value.Value.GetType()}");
        }
    }

    private static void WriteArray(BinaryWriter w, GgufValueType elementType, Array array)
    {
        w.Write((uint)elementType);
        w.Write((ulong)array.Length);
        switch (array)
        {
            case byte[] a: w.Write(a); break;
            case bool[] a: foreach (var v in a) w.Write((byte)(v ? 1 : 0)); break;
            case string[] a: foreach (var v in a) WriteString(w, v); break;
            case GgufValue[] a:
                foreach (var v in a) WriteArray(w, v.ElementType, (Array)v.Value);
                break;
            case sbyte[] a: WriteRaw<sbyte>(w, a); break;
            case ushort[] a: WriteRaw<ushort>(w, a); break;
            case short[] a: WriteRaw<short>(w, a); break;
            case uint[] a: WriteRaw<uint>(w, a); break;
            case int[] a: WriteRaw<int>(w, a); break;
            case float[] a: WriteRaw<float>(w, a); break;
            case ulong[] a: WriteRaw<ulong>(w, a); break;
            case long[] a: WriteRaw<long>(w, a); break;
            case double[] a: WriteRaw<double>(w, a); break;
            default: throw new ArgumentException($"cannot write a metadata array of CLR type {array.GetType()}");
        }
    }

    private static void WriteRaw<T>(BinaryWriter w, T[] values) where T : unmanaged =>
        w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
}
