using System.IO.MemoryMappedFiles;

namespace Mender.Llm.Gguf;

/// <summary>
/// A GGUF file opened read-only over a memory mapping. The header, metadata and tensor table are parsed and validated
/// on open; tensor data stays in the mapping and is reached through <see cref="TensorPointer"/> or <see cref="TensorBytes"/>.
/// </summary>
public sealed unsafe class GgufFile : IDisposable
{
    /// <summary>Alignment of the tensor data when general.alignment is absent.</summary>
    public const int DefaultAlignment = 32;

    private readonly MemoryMappedFile map;
    private readonly MemoryMappedViewAccessor view;
    private readonly Dictionary<string, GgufValue> metadata;
    private readonly Dictionary<string, GgufTensorInfo> tensorsByName;
    private byte* mapped;

    private GgufFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, byte* basePointer, long length)
    {
        Path = path;
        this.map = map;
        this.view = view;
        mapped = basePointer;
        FileSize = length;
        var header = GgufHeaderReader.Read(basePointer, length);
        Version = header.Version;
        Alignment = header.Alignment;
        DataStart = header.DataStart;
        this.metadata = header.Metadata;
        Tensors = header.Tensors;
        tensorsByName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Opens and validates a GGUF file. Corrupt files throw <see cref="InvalidDataException"/>.</summary>
    public static GgufFile Open(string path)
    {
        CheckIsRegularFile(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        var length = stream.Length;
        if (length < GgufHeaderReader.MinimumHeaderBytes)
        {
            stream.Dispose();
            throw new InvalidDataException($"'{path}': {length} bytes is too short for a GGUF header");
        }
        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        var acquired = false;
        try
        {
            map = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            acquired = true;
            pointer += view.PointerOffset;
            return new GgufFile(path, map, view, pointer, length);
        }
        catch (InvalidDataException ex)
        {
            Release(view, acquired);
            map?.Dispose();
            throw new InvalidDataException($"'{path}': {ex.Message}", ex);
        }
        catch
        {
            Release(view, acquired);
            if (map is null) stream.Dispose();
            map?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Fails with a clear message unless <paramref name="path"/> names a non-empty regular file. Pipes and devices
    /// report a length of 0, so they are refused before anything opens them (opening a FIFO would wait for a writer).
    /// </summary>
    public static void CheckIsRegularFile(string path)
    {
        if (Directory.Exists(path))
            throw new ArgumentException($"'{path}' is a directory, not a GGUF file");
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new FileNotFoundException($"GGUF file '{path}' not found", path);
        if (info.Length == 0)
            throw new InvalidDataException($"'{path}' is empty or not a regular file (a pipe or a device), so it holds no GGUF model");
    }

    /// <summary>The file the model was read from.</summary>
    public string Path { get; }

    /// <summary>The file's length in bytes.</summary>
    public long FileSize { get; }

    /// <summary>The GGUF format version in the header.</summary>
    public int Version { get; }

    /// <summary>Alignment of tensor data (general.alignment, default 32).</summary>
    public int Alignment { get; }

    /// <summary>Absolute file offset of the tensor data section.</summary>
    public long DataStart { get; }

    /// <summary>The key-value metadata of the header, by key.</summary>
    public IReadOnlyDictionary<string, GgufValue> Metadata => this.metadata;

    /// <summary>The tensors in the order the file lists them.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>general.architecture, or "" when the file does not say.</summary>
    public string Architecture => GetString("general.architecture") ?? "";

    /// <summary>The tensor of that name; null when the file has none.</summary>
    public GgufTensorInfo? FindTensor(string name) => tensorsByName.GetValueOrDefault(name);

    /// <summary>The tensor's first byte in the mapping; valid until the file is disposed.</summary>
    public byte* TensorPointer(GgufTensorInfo t)
    {
        ObjectDisposedException.ThrowIf(mapped is null, this);
        CheckOwned(t);
        return mapped + t.DataOffset;
    }

    /// <summary>The tensor's bytes; for tensors smaller than 2 GB.</summary>
    public ReadOnlySpan<byte> TensorBytes(GgufTensorInfo t)
    {
        if (t.ByteSize > int.MaxValue)
            throw new InvalidOperationException($"tensor '{t.Name}' is {t.ByteSize} bytes, too large for a span; use TensorPointer");
        return new ReadOnlySpan<byte>(TensorPointer(t), (int)t.ByteSize);
    }

    /// <summary>A string metadata value; null when the key is missing or not a string.</summary>
    public string? GetString(string key) => Get(key)?.Value as string;

    /// <summary>An integer value of any integer type.</summary>
    public long? GetInteger(string key)
    {
        var v = Get(key);
        if (v is null) return null;
        return v.AsInteger() ?? throw new InvalidDataException($"metadata '{key}' is a {v.Type}, expected an integer");
    }

    /// <summary>A numeric metadata value as a float; null when the key is missing or not a number.</summary>
    public float? GetFloat(string key)
    {
        var v = Get(key);
        return v?.Value switch
        {
            null => null,
            float f => f,
            double d => (float)d,
            _ => v.AsInteger() is long i ? i : throw new InvalidDataException($"metadata '{key}' is a {v.Type}, expected a number"),
        };
    }

    /// <summary>A boolean metadata value; null when the key is missing or not a boolean.</summary>
    public bool? GetBool(string key)
    {
        var v = Get(key);
        return v?.Value switch
        {
            null => null,
            bool b => b,
            _ => throw new InvalidDataException($"metadata '{key}' is a {v.Type}, expected a bool"),
        };
    }

    /// <summary>A string array; the returned array is the stored one and must not be modified.</summary>
    public string[]? GetStringArray(string key) => ArrayOf<string>(key, GgufValueType.String);

    /// <summary>A numeric array metadata value as floats; null when the key is missing or not a numeric array.</summary>
    public float[]? GetFloatArray(string key)
    {
        var v = Get(key);
        if (v is null) return null;
        return v.Value switch
        {
            float[] f => f,
            double[] d => Array.ConvertAll(d, x => (float)x),
            _ => throw new InvalidDataException($"metadata '{key}' is {Describe(v)}, expected an array of floats"),
        };
    }

    /// <summary>An array of any integer element type, converted to int (values must fit).</summary>
    public int[]? GetIntArray(string key)
    {
        var v = Get(key);
        if (v is null) return null;
        if (v.Value is int[] ints) return ints;
        if (!v.IsArray || v.ElementType is GgufValueType.Float32 or GgufValueType.Float64 or GgufValueType.Bool
                or GgufValueType.String or GgufValueType.Array)
            throw new InvalidDataException($"metadata '{key}' is {Describe(v)}, expected an array of integers");
        var source = (Array)v.Value;
        var result = new int[source.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var x = Convert.ToDecimal(source.GetValue(i));
            if (x < int.MinValue || x > int.MaxValue)
                throw new InvalidDataException($"metadata '{key}'[{i}] = {x} does not fit in 32 bits");
            result[i] = (int)x;
        }
        return result;
    }

    private T[]? ArrayOf<T>(string key, GgufValueType elementType)
    {
        var v = Get(key);
        if (v is null) return null;
        return v.Value as T[] ?? throw new InvalidDataException($"metadata '{key}' is {Describe(v)}, expected an array of {elementType}");
    }

    private GgufValue? Get(string key) => this.metadata.GetValueOrDefault(key);

    private static string Describe(GgufValue v) => v.IsArray ? $"an array of {v.ElementType}" : $"a {v.Type}";

    private void CheckOwned(GgufTensorInfo t)
    {
        if (!tensorsByName.TryGetValue(t.Name, out var own) || !ReferenceEquals(own, t))
            throw new ArgumentException($"tensor '{t.Name}' does not belong to '{Path}'", nameof(t));
    }

    private static void Release(MemoryMappedViewAccessor? view, bool acquired)
    {
        if (view is null) return;
        if (acquired) view.SafeMemoryMappedViewHandle.ReleasePointer();
        view.Dispose();
    }

    /// <summary>Unmaps the file and closes it.</summary>
    public void Dispose()
    {
        if (mapped is null) return;
        mapped = null;
        Release(this.view, acquired: true);
        this.map.Dispose();
    }
}
