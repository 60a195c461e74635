using System.Buffers.Binary;
using System.Text;
using Mender.Numerics.Checkpoints;
using Mender.Numerics.Modules;
using Mender.Numerics.Operations;
using Mender.Numerics.Tensors;

namespace Mender.Numerics.Tests.Checkpoints;

/// <summary>safetensors round trips, foreign dtypes, corrupt files, and model checkpoints with their checks.</summary>
public sealed class SafeTensorsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("mender-safetensors-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string PathOf(string name) => Path.Combine(dir, name);

    [Fact]
    public void RoundTripKeepsNamesShapesValuesAndMetadata()
    {
        var a = Tensor.Normal(new Rng(1), 0, 1, 2, 3);
        var b = Tensor.FromArray([float.MaxValue, -0f, float.Epsilon], 3);
        var scalar = Tensor.Scalar(7f);
        var path = PathOf("t.safetensors");
        SafeTensors.Save(path, [new("a", a), new("b.c", b), new("s", scalar)], new Dictionary<string, string> { ["format"] = "pt" });
        var file = SafeTensors.Load(path);
        Assert.Equal(a.ToArray(), file.Tensors["a"].ToArray());
        Assert.Equal([2, 3], file.Tensors["a"].Shape.ToArray());
        Assert.Equal(b.ToArray(), file.Tensors["b.c"].ToArray());
        Assert.Empty(file.Tensors["s"].Shape.ToArray());
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("F32", file.DTypes["a"]);
        // Header length is a multiple of 8 so the data is aligned.
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(bytes) % 8);
    }

    [Fact]
    public void ReadsHalfBfloatAndDoubleTensorsAsFloat()
    {
        var path = PathOf("mixed.safetensors");
        var data = new List<byte>();
        data.AddRange(BitConverter.GetBytes((Half)1.5f));
        data.AddRange(BitConverter.GetBytes((Half)(-2f)));
        data.AddRange(BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits(3.25f) >> 16)));
        data.AddRange(BitConverter.GetBytes(0.125));
        WriteRaw(path, """{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[4,6]},"d":{"dtype":"F64","shape":[1],"data_offsets":[6,14]}}""", data.ToArray());
        var file = SafeTensors.Load(path);
        Assert.Equal([1.5f, -2f], file.Tensors["h"].ToArray());
        Assert.Equal([3.25f], file.Tensors["b"].ToArray());
        Assert.Equal([0.125f], file.Tensors["d"].ToArray());
    }

    public static TheoryData<string, string, int, string> CorruptFiles() => new()
    {
        { "not json", "{nope", 0, "not valid JSON" },
        { "bad dtype", """{"x":{"dtype":"I8","shape":[1],"data_offsets":[0,1]}}""", 1, "dtype I8" },
        { "size mismatch", """{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "'x' spans 8 bytes" },
        { "truncated", """{"x":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8, "truncated" },
        { "gap", """{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "tensor 'x' starts at byte 4" },
        { "overlap", """{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"y":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "overlap or gap" },
        { "no shape", """{"x":{"dtype":"F32","data_offsets":[0,4]}}""", 4, "'x' has no shape" },
        { "negative dim", """{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "invalid shape" },
    };

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void CorruptFilesFailWithAClearMessage(string name, string header, int dataBytes, string expected)
    {
        var path = PathOf(name.Replace(' ', '_') + ".safetensors");
        WriteRaw(path, header, new byte[dataBytes]);
        var ex = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path));
        Assert.Contains(expected, ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void ShortFilesAndOversizedHeaderLengthsAreRejected()
    {
        var path = PathOf("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("too short", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message);
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 1000);
        File.WriteAllBytes(path, bytes);
        Assert.Contains("1000-byte header", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message);
        Assert.Throws<FileNotFoundException>(() => SafeTensors.Load(PathOf("missing.safetensors")));
    }

    private static void WriteRaw(string path, string header, byte[] data)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + h.Length);
        File.WriteAllBytes(path, bytes);
    }

    private sealed record TinyConfig(int Width, Activation Activation);

    [Fact]
    public void CheckpointRoundTripRestoresTheModelAndConfig()
    {
        var config = new TinyConfig(5, Activation.Gelu);
        var model = new Mlp([config.Width, 4, 2], config.Activation, new Rng(1));
        var checkpoint = PathOf("ckpt");
        Checkpoint.Save(checkpoint, model, config);
        var loadedConfig = Checkpoint.LoadConfig<TinyConfig>(checkpoint);
        Assert.Equal(config, loadedConfig);
        var restored = new Mlp([loadedConfig.Width, 4, 2], loadedConfig.Activation, new Rng(99));
        Checkpoint.LoadInto(checkpoint, restored);
        var x = Tensor.Normal(new Rng(3), 0, 1, 3, 5);
        Assert.Equal(model.Forward(x).ToArray(), restored.Forward(x).ToArray());
        Assert.Contains("\"Gelu\"", File.ReadAllText(Path.Combine(checkpoint, Checkpoint.ConfigFile)));
    }

    [Fact]
    public void LoadingIntoADifferentModelNamesTheOffendingTensorAndFile()
    {
        var path = PathOf("mlp.safetensors");
        Checkpoint.SaveParameters(path, new Mlp([5, 4, 2], Activation.Relu, new Rng(1)));

        var wider = new Mlp([5, 6, 2], Activation.Relu, new Rng(1));
        var before = wider.Parameters()[0].ToArray();
        var shape = Assert.Throws<InvalidDataException>(() => Checkpoint.LoadParameters(path, wider));
        Assert.Contains("tensor '0.weight'", shape.Message);
        Assert.Contains("[4, 5]", shape.Message);
        Assert.Contains("[6, 5]", shape.Message);
        Assert.Contains(path, shape.Message);
        Assert.Equal(before, wider.Parameters()[0].ToArray());

        var deeper = new Mlp([5, 4, 2, 2], Activation.Relu, new Rng(1));
        Assert.Contains("lacks tensor '2.weight'", Assert.Throws<InvalidDataException>(() => Checkpoint.LoadParameters(path, deeper)).Message);

        var shallower = new Mlp([5, 4], Activation.Relu, new Rng(1));
        Assert.Contains("does not have: 1.bias, 1.weight", Assert.Throws<InvalidDataException>(() => Checkpoint.LoadParameters(path, shallower)).Message);
    }

    [Fact]
    public void LoadingAHalfPrecisionTensorIntoAModelIsADtypeError()
    {
        var path = PathOf("half.safetensors");
        WriteRaw(path, """{"weight":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}""", new byte[2]);
        var ex = Assert.Throws<InvalidDataException>(() => Checkpoint.LoadParameters(path, new LayerNorm(1, bias: false)));
        Assert.Contains("tensor 'weight'", ex.Message);
        Assert.Contains("dtype F16, expected F32", ex.Message);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void NonFiniteWeightsAreRefusedNamingTheTensor(float poison, string shown)
    {
        var path = PathOf("poisoned.safetensors");
        var model = new Mlp([3, 2], Activation.Relu, new Rng(1));
        model.Parameters()[1].Span[1] = poison;
        Checkpoint.SaveParameters(path, model);

        var restored = new Mlp([3, 2], Activation.Relu, new Rng(2));
        var ex = Assert.Throws<InvalidDataException>(() => Checkpoint.LoadParameters(path, restored));
        Assert.Contains($"holds {shown} at element 1", ex.Message);
        Assert.Contains("tensor '0.", ex.Message);
    }

    [Fact]
    public void CorruptConfigIsReported()
    {
        var checkpoint = PathOf("badconfig");
        Directory.CreateDirectory(checkpoint);
        File.WriteAllText(Path.Combine(checkpoint, Checkpoint.ConfigFile), "{ \"Width\": \"wide\" }");
        Assert.Contains("is not valid", Assert.Throws<InvalidDataException>(() => Checkpoint.LoadConfig<TinyConfig>(checkpoint)).Message);
    }
}
