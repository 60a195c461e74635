using System.Text;

namespace Mender.Llm.Gguf;

/// <summary>
/// Parses the GGUF header, metadata and tensor table from raw bytes. Every length, count and offset is checked against
/// the bytes that remain before anything is allocated, so a hostile file cannot cause a huge allocation or a read past the end.
/// </summary>
internal sealed unsafe class GgufHeaderReader
{
    /// <summary>"GGUF" read as a little-endian uint32.</summary>
    public const uint Magic = 0x46554747;

    /// <summary>Magic, version and the two counts of a v2+ header.</summary>
    public const int MinimumHeaderBytes = 4 + 4 + 8 + 8;

    /// <summary>Deepest nesting of arrays inside arrays accepted (real files use at most two levels).</summary>
    public const int MaxArrayDepth = 8;

    /// <summary>ggml's GGML_MAX_DIMS.</summary>
    public const int MaxDimensions = 4;

    private readonly byte* data;
    private readonly long length;
    private long pos;

    private GgufHeaderReader(byte* data, long length)
    {
        this.data = data;
        this.length = length;
    }

    public sealed record Header(
        int Version, int Alignment, long DataStart, Dictionary<string, GgufValue> Metadata, GgufTensorInfo[] Tensors);

    public static Header Read(byte* data, long length) => new GgufHeaderReader(data, length).ReadHeader();

    private long Remaining => this.length - pos;

    private Header ReadHeader()
    {
        if (this.length < MinimumHeaderBytes)
            throw new InvalidDataException($"{this.length} bytes is too short for a GGUF header");
        var magic = ReadU32("magic");
        if (magic != Magic)
            throw new InvalidDataException($"not a GGUF file: magic is 0x{magic:X8}, expected 0x{Magic:X8} (\"GGUF\")");
        var version = ReadU32("version");
        if (version is 1)
            throw new InvalidDataException("GGUF version 1 is not supported (only versions 2 and 3)");
        if (version is not (2 or 3))
        {
            var swapped = System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(version);
            throw swapped is 2 or 3
                ? new InvalidDataException($"big-endian GGUF (version {swapped}) is not supported")
                : new InvalidDataException($"unsupported GGUF version {version} (only versions 2 and 3)");
        }

        var tensorCount = ReadU64("tensor count");
        var kvCount = ReadU64("metadata count");
        // A metadata pair takes at least a key length, a type and one byte of value; a tensor entry at least
        // a name length, a dimension count, one dimension, a type and an offset.
        CheckCount(kvCount, 8 + 4 + 1, "metadata count");
        CheckCount(tensorCount, 8 + 4 + 8 + 4 + 8, "tensor count");

        var metadata = new Dictionary<string, GgufValue>((int)kvCount, StringComparer.Ordinal);
        for (long i = 0; i < (long)kvCount; i++)
        {
            var keyStart = pos;
            var key = ReadString($"metadata key #{i}");
            if (key.Length == 0)
                throw new InvalidDataException($"metadata key #{i} at offset {keyStart} is empty");
            var type = ReadU32($"type of metadata '{key}'");
            var value = ReadValue((GgufValueType)type, $"metadata '{key}'", depth: 0);
            if (!metadata.TryAdd(key, value))
                throw new InvalidDataException($"metadata key '{key}' appears twice (second at offset {keyStart})");
        }

        var alignment = DefaultAlignmentOf(metadata);

        var infos = new (string Name, long[] Dims, GgmlType Type, ulong Offset, long ByteSize)[(int)tensorCount];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < infos.Length; i++)
        {
            var name = ReadString($"name of tensor #{i}");
            if (!names.Add(name))
                throw new InvalidDataException($"tensor name '{name}' appears twice");
            var nDims = ReadU32($"dimension count of tensor '{name}'");
            if (nDims > MaxDimensions)
                throw new InvalidDataException($"tensor '{name}' has {nDims} dimensions, at most {MaxDimensions} are allowed");
            var dims = new long[nDims];
            for (var d = 0; d < dims.Length; d++)
            {
                var ne = ReadU64($"dimension {d} of tensor '{name}'");
                if (ne > long.MaxValue)
                    throw new InvalidDataException($"tensor '{name}': dimension {d} = {ne} is out of range");
                dims[d] = (long)ne;
            }
            var rawType = ReadU32($"type of tensor '{name}'");
            var type = (GgmlType)rawType;
            if (!GgmlTypeInfo.IsKnown(type))
                throw new InvalidDataException($"tensor '{name}' has unknown ggml type {rawType}");
            var offset = ReadU64($"data offset of tensor '{name}'");
            infos[i] = (name, dims, type, offset, TensorByteSize(name, dims, type));
        }

        var dataStart = AlignUp(pos, alignment);
        var tensors = new GgufTensorInfo[infos.Length];
        for (var i = 0; i < infos.Length; i++)
        {
            var (name, dims, type, offset, byteSize) = infos[i];
            if (offset % (ulong)alignment != 0)
                throw new InvalidDataException($"tensor '{name}': data offset {offset} is not a multiple of the alignment {alignment}");
            var start = (ulong)dataStart + offset;
            if (offset > (ulong)this.length || start > (ulong)this.length || (ulong)byteSize > (ulong)this.length - start)
                throw new InvalidDataException(
                    $"tensor '{name}': data [{start}..{start + (ulong)byteSize}) lies past the end of the file (size {this.length})");
            tensors[i] = new GgufTensorInfo(name, type, dims, (long)start, byteSize);
        }
        return new Header((int)version, alignment, dataStart, metadata, tensors);
    }

    private static int DefaultAlignmentOf(Dictionary<string, GgufValue> metadata)
    {
        if (!metadata.TryGetValue("general.alignment", out var value))
            return GgufFile.DefaultAlignment;
        var a = value.AsInteger()
            ?? throw new InvalidDataException($"general.alignment is a {value.Type}, expected an integer");
        if (a <= 0 || a > 1 << 20 || (a & (a - 1)) != 0)
            throw new InvalidDataException($"general.alignment = {a} is not a power of two between 1 and 2^20");
        return (int)a;
    }

    private static long TensorByteSize(string name, long[] dims, GgmlType type)
    {
        var blockSize = GgmlTypeInfo.BlockSize(type);
        var ne0 = dims.Length == 0 ? 1 : dims[0];
        if (ne0 % blockSize != 0)
            throw new InvalidDataException(
                $"tensor '{name}': row length {ne0} is not a multiple of the {type} block size {blockSize}");
        try
        {
            long rows = 1;
            for (var d = 1; d < dims.Length; d++) rows = checked(rows * dims[d]);
            checked
            {
                _ = ne0 * rows;
                return ne0 / blockSize * GgmlTypeInfo.BytesPerBlock(type) * rows;
            }
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"tensor '{name}': shape [{string.Join(", ", dims)}] overflows 64 bits");
        }
    }

    private static long AlignUp(long x, int alignment) => (x + alignment - 1) / alignment * alignment;

    private void CheckCount(ulong count, int minBytesEach, string what)
    {
        if (count > int.MaxValue || count > (ulong)(Remaining / minBytesEach))
            throw new InvalidDataException(
                $"{what} {count} is impossible: the {Remaining} bytes left at offset {pos} hold at most {Remaining / minBytesEach}");
    }

    private void Need(long bytes, string what)
    {
        if (bytes > Remaining)
            throw new InvalidDataException(
                $"file truncated: {what} needs {bytes} bytes at offset {pos} but the file ends at {this.length}");
    }

    private uint ReadU32(string what)
    {
        Need(4, what);
        var v = *(uint*)(this.data + pos);
        pos += 4;
        return v;
    }

    private ulong ReadU64(string what)
    {
        Need(8, what);
        var v = *(ulong*)(this.data + pos);
        pos += 8;
        return v;
    }

    private string ReadString(string what)
    {
        var length = ReadU64($"length of {what}");
        if (length > (ulong)Remaining)
            throw new InvalidDataException(
                $"{what}: string length {length} at offset {pos - 8} runs past the end of the file (size {this.length})");
        if (length > int.MaxValue)
            throw new InvalidDataException($"{what}: string length {length} is too large");
        var s = Encoding.UTF8.GetString(this.data + pos, (int)length);
        pos += (long)length;
        return s;
    }

    private GgufValue ReadValue(GgufValueType type, string what, int depth)
    {
        switch (type)
        {
            case GgufValueType.UInt8: Need(1, what); return GgufValue.Of(Take<byte>());
            case GgufValueType.Int8: Need(1, what); return GgufValue.Of(Take<sbyte>());
            case GgufValueType.UInt16: Need(2, what); return GgufValue.Of(Take<ushort>());
            case GgufValueType.Int16: Need(2, what); return GgufValue.Of(Take<short>());
            case GgufValueType.UInt32: Need(4, what); return GgufValue.Of(Take<uint>());
            case GgufValueType.Int32: Need(4, what); return GgufValue.Of(Take<int>());
            case GgufValueType.Float32: Need(4, what); return GgufValue.Of(Take<float>());
            case GgufValueType.Bool: Need(1, what); return GgufValue.Of(Take<byte>() != 0);
            case GgufValueType.UInt64: Need(8, what); return GgufValue.Of(Take<ulong>());
            case GgufValueType.Int64: Need(8, what); return GgufValue.Of(Take<long>());
            case GgufValueType.Float64: Need(8, what); return GgufValue.Of(Take<double>());
            case GgufValueType.String: return GgufValue.Of(ReadString(what));
            case GgufValueType.Array: return ReadArray(what, depth);
            default: throw new InvalidDataException($"{what} has unknown value type {(uint)type} (offset {pos - 4})");
        }
    }

    private T Take<T>() where T : unmanaged
    {
        var v = *(T*)(this.data + pos);
        pos += sizeof(T);
        return v;
    }

    private GgufValue ReadArray(string what, int depth)
    {
        if (depth >= MaxArrayDepth)
            throw new InvalidDataException($"{what}: arrays nested deeper than {MaxArrayDepth} levels");
        var elementType = (GgufValueType)ReadU32($"element type of {what}");
        var count = ReadU64($"length of {what}");
        var minBytes = elementType switch
        {
            GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
            GgufValueType.UInt16 or GgufValueType.Int16 => 2,
            GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
            GgufValueType.UInt64 or GgufValueType.Int64 or GgufValueType.Float64 => 8,
            GgufValueType.String => 8,
            GgufValueType.Array => 4 + 8,
            _ => throw new InvalidDataException($"{what}: array has unknown element type {(uint)elementType}"),
        };
        if (count > (ulong)(Remaining / minBytes) || count > (ulong)Array.MaxLength)
            throw new InvalidDataException(
                $"{what}: array of {count} {elementType} elements needs at least {count}×{minBytes} bytes but only {Remaining} remain at offset {pos}");
        var n = (int)count;
        switch (elementType)
        {
            case GgufValueType.UInt8: return GgufValue.Array(TakeArray<byte>(n));
            case GgufValueType.Int8: return GgufValue.Array(TakeArray<sbyte>(n));
            case GgufValueType.UInt16: return GgufValue.Array(TakeArray<ushort>(n));
            case GgufValueType.Int16: return GgufValue.Array(TakeArray<short>(n));
            case GgufValueType.UInt32: return GgufValue.Array(TakeArray<uint>(n));
            case GgufValueType.Int32: return GgufValue.Array(TakeArray<int>(n));
            case GgufValueType.Float32: return GgufValue.Array(TakeArray<float>(n));
            case GgufValueType.UInt64: return GgufValue.Array(TakeArray<ulong>(n));
            case GgufValueType.Int64: return GgufValue.Array(TakeArray<long>(n));
            case GgufValueType.Float64: return GgufValue.Array(TakeArray<double>(n));
            case GgufValueType.Bool:
            {
                var bytes = TakeArray<byte>(n);
                var bools = new bool[n];
                for (var i = 0; i < n; i++) bools[i] = bytes[i] != 0;
                return GgufValue.Array(bools);
            }
            case GgufValueType.String:
            {
                var strings = new string[n];
                for (var i = 0; i < n; i++) strings[i] = ReadString($"{what}[{i}]");
                return GgufValue.Array(strings);
            }
            default:
            {
                var items = new GgufValue[n];
                for (var i = 0; i < n; i++) items[i] = ReadArray($"{what}[{i}]", depth + 1);
                return GgufValue.Array(items);
            }
        }
    }

    private T[] TakeArray<T>(int n) where T : unmanaged
    {
        var result = new ReadOnlySpan<T>(this.data + pos, n).ToArray();
        pos += (long)n * sizeof(T);
        return result;
    }
}
