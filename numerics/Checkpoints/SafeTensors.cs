using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Checkpoints;

/// <summary>
/// The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor name to
/// {dtype, shape, data_offsets} (plus an optional "__metadata__" string map), then the raw little-endian data.
/// Writing produces F32; reading accepts F32 and converts F16, BF16 and F64. Every structural problem is
/// reported as an <see cref="InvalidDataException"/> naming the file and, where it applies, the tensor.
/// </summary>
public static class SafeTensors
{
    private const string MetadataKey = "__metadata__";
    private const long MaxHeaderBytes = 100L << 20;

    /// <summary>Writes tensors (in the given order) atomically: a temporary file renamed into place.</summary>
    public static void Save(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, _) in list)
        {
            if (name == MetadataKey || !names.Add(name))
                throw new ArgumentException($"tensor name '{name}' is reserved or repeated");
        }
        var header = BuildHeader(list, metadata);
        var padded = (header.Length + 7) / 8 * 8;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Environment.ProcessId + ".tmp");
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(header);
            for (var i = header.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var (_, tensor) in list) WriteFloats(stream, tensor.Span);
        }
        File.Move(temp, path, overwrite: true);
    }

    private static byte[] BuildHeader(List<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (k, v) in metadata) json.WriteString(k, v);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in tensors)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (var d in tensor.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += (long)tensor.Length * sizeof(float);
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteFloats(Stream stream, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values));
            return;
        }
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        stream.Write(bytes);
    }

    /// <summary>Reads and validates the header and every tensor, converting to float32.</summary>
    public static SafeTensorsFile Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"safetensors file {path} does not exist", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var fileLength = stream.Length;
        if (fileLength < 8) throw Corrupt(path, $"is {fileLength} bytes, too short for a safetensors header");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)Math.Min(MaxHeaderBytes, fileLength - 8))
            throw Corrupt(path, $"declares a {headerLength}-byte header but has {fileLength - 8} bytes after the length");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var dataStart = 8 + (long)headerLength;
        var dataLength = fileLength - dataStart;
        var entries = ParseHeader(path, header, dataLength, out var metadata);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var dtypes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            var raw = new byte[e.End - e.Begin];
            stream.Position = dataStart + e.Begin;
            stream.ReadExactly(raw);
            var tensor = new Tensor(e.Shape) { Name = e.Name };
            Decode(raw, e.DType, tensor.Span);
            tensors[e.Name] = tensor;
            dtypes[e.Name] = e.DType;
        }
        return new SafeTensorsFile(path, tensors, dtypes, metadata);
    }

    private sealed record Entry(string Name, string DType, int[] Shape, long Begin, long End);

    private static List<Entry> ParseHeader(string path, byte[] header, long dataLength, out Dictionary<string, string> metadata)
    {
        metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        // JsonDocument accepts invalid UTF-8 inside strings and fails later, when a name is read, with an InvalidOperationException.
        if (!System.Text.Unicode.Utf8.IsValid(header)) throw Corrupt(path, "has a header that is not UTF-8 text");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException ex)
        {
            throw Corrupt(path, $"has a header that is not valid JSON ({ex.Message})");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Corrupt(path, "has a header that is not a JSON object");
            var entries = new List<Entry>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    if (property.Value.ValueKind != JsonValueKind.Object) throw Corrupt(path, "has a __metadata__ that is not an object");
                    foreach (var m in property.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()!
                            : throw Corrupt(path, $"has a non-string __metadata__ value '{m.Name}'");
                    continue;
                }
                entries.Add(ParseEntry(path, property));
            }
            // The data section must be tiled exactly by the tensors: no overlaps, no gaps, nothing left over.
            entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
            long expected = 0;
            foreach (var e in entries)
            {
                if (e.Begin != expected)
                    throw Corrupt(path, $"tensor '{e.Name}' starts at byte {e.Begin} of the data, expected {expected} (overlap or gap)");
                expected = e.End;
            }
            if (expected != dataLength)
                throw Corrupt(path, $"has {dataLength} data bytes but its tensors describe {expected}" + (expected > dataLength ? " (truncated file)" : ""));
            return entries;
        }
    }

    private static Entry ParseEntry(string path, JsonProperty property)
    {
        var name = property.Name;
        var e = property.Value;
        if (e.ValueKind != JsonValueKind.Object) throw Corrupt(path, $"tensor '{name}' is not described by an object");
        if (!e.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Corrupt(path, $"tensor '{name}' has no dtype");
        var dtype = dtypeElement.GetString()!;
        var size = ElementSize(dtype) ?? throw Corrupt(path, $"tensor '{name}' has dtype {dtype}, which is not supported (F32, F16, BF16, F64)");
        if (!e.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
            throw Corrupt(path, $"tensor '{name}' has no shape");
        var shape = new int[shapeElement.GetArrayLength()];
        var i = 0;
        long elements = 1;
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt32(out var dim) || dim < 0)
                throw Corrupt(path, $"tensor '{name}' has an invalid shape entry {d}");
            shape[i++] = dim;
            elements *= dim;
            if (elements > Array.MaxLength) throw Corrupt(path, $"tensor '{name}' is too large");
        }
        if (!e.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw Corrupt(path, $"tensor '{name}' has no [begin, end] data_offsets");
        if (offsets[0].ValueKind != JsonValueKind.Number || offsets[1].ValueKind != JsonValueKind.Number
            || !offsets[0].TryGetInt64(out var begin) || !offsets[1].TryGetInt64(out var end) || begin < 0 || end < begin)
            throw Corrupt(path, $"tensor '{name}' has invalid data_offsets {offsets}");
        if (end - begin != elements * size)
            throw Corrupt(path, $"tensor '{name}' spans {end - begin} bytes but {dtype} {ShapeOps.Format(shape)} needs {elements * size}");
        return new Entry(name, dtype, shape, begin, end);
    }

    private static int? ElementSize(string dtype) => dtype switch
    {
        "F32" => 4,
        "F16" or "BF16" => 2,
        "F64" => 8,
        _ => null,
    };

    private static void Decode(ReadOnlySpan<byte> raw, string dtype, Span<float> target)
    {
        switch (dtype)
        {
            case "F32":
                for (var i = 0; i < target.Length; i++) target[i] = BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]);
                break;
            case "F16":
                for (var i = 0; i < target.Length; i++) target[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(raw[(i * 2)..]);
                break;
            case "BF16":
                for (var i = 0; i < target.Length; i++)
                    target[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw[(i * 2)..]) << 16);
                break;
            default:
                for (var i = 0; i < target.Length; i++) target[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..]);
                break;
        }
    }

    private static InvalidDataException Corrupt(string path, string problem) => new($"safetensors file {path} {problem}");
}

/// <summary>The tensors of a safetensors file, as float32, with the dtype each had on disk.</summary>
public sealed class SafeTensorsFile(string path, IReadOnlyDictionary<string, Tensor> tensors,
    IReadOnlyDictionary<string, string> dtypes, IReadOnlyDictionary<string, string> metadata)
{
    /// <summary>The file the tensors were read from.</summary>
    public string Path { get; } = path;
    /// <summary>The tensors by name, converted to float32.</summary>
    public IReadOnlyDictionary<string, Tensor> Tensors { get; } = tensors;

    /// <summary>The on-disk dtype of each tensor ("F32", "F16", ...).</summary>
    public IReadOnlyDictionary<string, string> DTypes { get; } = dtypes;

    /// <summary>The header's <c>__metadata__</c> entries; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; } = metadata;
}
