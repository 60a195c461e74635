using Mender.Llm.Gguf;
using Mender.TestSupport;
using Xunit;

namespace Mender.Llm.Tests.Gguf;

public sealed class GgufRoundTripTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("gguf-roundtrip-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(1)]
    public void EveryValueTypeAndTensorSurvivesAWriteAndRead(int alignment)
    {
        var w = new GgufWriter(alignment);
        w.Set("u8", GgufValue.Of((byte)200));
        w.Set("i8", GgufValue.Of((sbyte)-100));
        w.Set("u16", GgufValue.Of((ushort)60000));
        w.Set("i16", GgufValue.Of((short)-30000));
        w.Set("u32", GgufValue.Of(4000000000u));
        w.Set("i32", GgufValue.Of(-2000000000));
        w.Set("f32", GgufValue.Of(3.25f));
        w.Set("bool", GgufValue.Of(true));
        w.Set("str", GgufValue.Of("héllo ✓ 世界"));
        w.Set("u64", GgufValue.Of(ulong.MaxValue));
        w.Set("i64", GgufValue.Of(long.MinValue));
        w.Set("f64", GgufValue.Of(Math.PI));
        w.Set("a.u8", GgufValue.Array(new byte[] { 1, 2, 255 }));
        w.Set("a.i16", GgufValue.Array(new short[] { -1, 7 }));
        w.Set("a.u32", GgufValue.Array(new uint[] { 5, 6 }));
        w.Set("a.i32", GgufValue.Array([-5, 6, 7]));
        w.Set("a.f32", GgufValue.Array([1.5f, -2f]));
        w.Set("a.f64", GgufValue.Array([1.5, -2.0]));
        w.Set("a.bool", GgufValue.Array([true, false, true]));
        w.Set("a.str", GgufValue.Array(["", "x", "Ġhello"]));
        w.Set("a.i64", GgufValue.Array(new long[] { long.MaxValue }));
        w.Set("a.nested", GgufValue.Array([GgufValue.Array([1, 2]), GgufValue.Array(["p", "q"]), GgufValue.Array(Array.Empty<float>())]));
        w.Set("replaced", GgufValue.Of(1));
        w.Set("replaced", GgufValue.Of("second"));

        var f32 = new float[16 * 3];
        for (var i = 0; i < f32.Length; i++) f32[i] = i * 0.5f - 3;
        var f32Bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(f32.AsSpan()).ToArray();
        w.AddTensor("t.f32", GgmlType.F32, [16, 3], f32Bytes);
        var q4 = Enumerable.Range(0, 18 * 4).Select(i => (byte)(i * 7)).ToArray();
        w.AddTensor("t.q4_0", GgmlType.Q4_0, [64, 2], q4);
        var one = new byte[] { 9, 8 };
        w.AddTensor("t.f16", GgmlType.F16, [1], one);
        var path = Path.Combine(dir, "all.gguf");
        w.Write(path);

        using var file = GgufFile.Open(path);
        Assert.Equal(3, file.Version);
        Assert.Equal(alignment, file.Alignment);
        Assert.Equal(200, file.GetInteger("u8"));
        Assert.Equal(-100, file.GetInteger("i8"));
        Assert.Equal(60000, file.GetInteger("u16"));
        Assert.Equal(-30000, file.GetInteger("i16"));
        Assert.Equal(4000000000, file.GetInteger("u32"));
        Assert.Equal(-2000000000, file.GetInteger("i32"));
        Assert.Equal(3.25f, file.GetFloat("f32"));
        Assert.True(file.GetBool("bool"));
        Assert.Equal("héllo ✓ 世界", file.GetString("str"));
        Assert.Equal(ulong.MaxValue, file.Metadata["u64"].Value);
        Assert.Throws<InvalidDataException>(() => file.GetInteger("u64"));
        Assert.Equal(long.MinValue, file.GetInteger("i64"));
        Assert.Equal(Math.PI, file.Metadata["f64"].Value);
        Assert.Equal([1, 2, 255], file.GetIntArray("a.u8")!);
        Assert.Equal([-1, 7], file.GetIntArray("a.i16")!);
        Assert.Equal([5, 6], file.GetIntArray("a.u32")!);
        Assert.Equal([-5, 6, 7], file.GetIntArray("a.i32")!);
        Assert.Equal([1.5f, -2f], file.GetFloatArray("a.f32")!);
        Assert.Equal([1.5f, -2f], file.GetFloatArray("a.f64")!);
        Assert.Equal(new[] { true, false, true }, file.Metadata["a.bool"].Value);
        Assert.Equal(["", "x", "Ġhello"], file.GetStringArray("a.str")!);
        Assert.Throws<InvalidDataException>(() => file.GetIntArray("a.i64")!);
        var nested = (GgufValue[])file.Metadata["a.nested"].Value;
        Assert.Equal(GgufValueType.Array, file.Metadata["a.nested"].ElementType);
        Assert.Equal(new[] { 1, 2 }, nested[0].Value);
        Assert.Equal(new[] { "p", "q" }, nested[1].Value);
        Assert.Equal(0, nested[2].ArrayLength);
        Assert.Equal(GgufValueType.Float32, nested[2].ElementType);
        Assert.Equal("second", file.GetString("replaced"));
        Assert.Null(file.GetString("absent"));
        Assert.Throws<InvalidDataException>(() => file.GetString("a.str") ?? throw new InvalidDataException("not a string"));

        Assert.Equal(["t.f32", "t.q4_0", "t.f16"], file.Tensors.Select(t => t.Name));
        Assert.Equal(f32Bytes, file.TensorBytes(file.FindTensor("t.f32")!).ToArray());
        Assert.Equal(q4, file.TensorBytes(file.FindTensor("t.q4_0")!).ToArray());
        Assert.Equal(one, file.TensorBytes(file.FindTensor("t.f16")!).ToArray());
        Assert.Equal(128, file.FindTensor("t.q4_0")!.ElementCount);
        Assert.All(file.Tensors, t => Assert.Equal(0, t.DataOffset % alignment));
    }

    [Fact]
    public void Version2FilesReadLikeVersion3()
    {
        var bytes = GgufTestFiles.Small();
        bytes[4] = 2;
        using var file = GgufTestFiles.OpenBytes(bytes, dir);
        Assert.Equal(2, file.Version);
        Assert.Equal(2, file.Tensors.Count);
        Assert.Equal(["a", "b", "c"], file.GetStringArray("tokenizer.ggml.tokens")!);
    }

    /// <summary>A real model copied through the writer reads back with identical metadata and tensor bytes.</summary>
    [SharedFact]
    public void RealModelSurvivesACopyThroughTheWriter()
    {
        using var source = GgufFile.Open(SharedData.PathOf("models/tiny/stories260K.gguf"));
        var writer = new GgufWriter(source.Alignment);
        foreach (var (key, value) in source.Metadata)
            if (key != "general.alignment") writer.Set(key, value);
        foreach (var t in source.Tensors)
            writer.AddTensor(t.Name, t.Type, t.Dimensions, source.TensorBytes(t).ToArray());
        var path = Path.Combine(dir, "copy.gguf");
        writer.Write(path);

        using var copy = GgufFile.Open(path);
        Assert.Equal(source.Metadata.Keys, copy.Metadata.Keys);
        foreach (var (key, value) in source.Metadata)
            Assert.Equal(value.ToString(), copy.Metadata[key].ToString());
        Assert.Equal(source.GetStringArray("tokenizer.ggml.tokens"), copy.GetStringArray("tokenizer.ggml.tokens"));
        Assert.Equal(source.GetFloatArray("tokenizer.ggml.scores"), copy.GetFloatArray("tokenizer.ggml.scores"));
        foreach (var t in source.Tensors)
        {
            var c = copy.FindTensor(t.Name)!;
            Assert.Equal(t.Dimensions, c.Dimensions);
            Assert.True(source.TensorBytes(t).SequenceEqual(copy.TensorBytes(c)), t.Name);
        }
    }

    [Fact]
    public void WriterRejectsWrongTensorSizes()
    {
        var w = new GgufWriter();
        Assert.Throws<ArgumentException>(() => w.AddTensor("x", GgmlType.F32, [4], new byte[15]));
        Assert.Throws<ArgumentException>(() => w.AddTensor("y", GgmlType.Q8_0, [31], new byte[34]));
        w.AddTensor("z", GgmlType.F32, [2], stream => stream.Write(new byte[7]));
        Assert.Throws<InvalidOperationException>(() => w.Write(new MemoryStream()));
    }

    [Fact]
    public void TypeLayoutsMatchGgml()
    {
        Assert.Equal(34, GgmlTypeInfo.BytesPerBlock(GgmlType.Q8_0));
        Assert.Equal(18, GgmlTypeInfo.BytesPerBlock(GgmlType.Q4_0));
        Assert.Equal(22, GgmlTypeInfo.BytesPerBlock(GgmlType.Q5_0));
        Assert.Equal(144, GgmlTypeInfo.BytesPerBlock(GgmlType.Q4_K));
        Assert.Equal(176, GgmlTypeInfo.BytesPerBlock(GgmlType.Q5_K));
        Assert.Equal(210, GgmlTypeInfo.BytesPerBlock(GgmlType.Q6_K));
        Assert.Equal(256, GgmlTypeInfo.BlockSize(GgmlType.Q6_K));
        Assert.Equal(896 / 32 * 34, GgmlTypeInfo.RowBytes(GgmlType.Q8_0, 896));
        Assert.Equal(2, GgmlTypeInfo.RowBytes(GgmlType.BF16, 1));
        Assert.Throws<ArgumentException>(() => GgmlTypeInfo.RowBytes(GgmlType.Q4_K, 100));
        Assert.False(GgmlTypeInfo.IsKnown((GgmlType)4));
    }
}
