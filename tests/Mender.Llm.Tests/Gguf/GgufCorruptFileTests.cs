using Mender.Llm.Gguf;
using Xunit;

namespace Mender.Llm.Tests.Gguf;

public sealed class GgufCorruptFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("gguf-corrupt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private InvalidDataException Rejects(byte[] bytes)
    {
        var ex = Assert.Throws<InvalidDataException>(() => GgufTestFiles.OpenBytes(bytes, dir).Dispose());
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        return ex;
    }

    [Fact]
    public void TheUncorruptedFileOpens()
    {
        using var file = GgufTestFiles.OpenBytes(GgufTestFiles.Small(), dir);
        Assert.Equal(2, file.Tensors.Count);
        Assert.Equal(2, file.GetInteger("llama.block_count"));
    }

    [Fact]
    public void EveryTruncationIsRejected()
    {
        var bytes = GgufTestFiles.Small();
        long end;
        using (var file = GgufTestFiles.OpenBytes(bytes, dir))
            end = file.Tensors.Max(t => t.DataOffset + t.ByteSize);
        for (var length = 0; length < end; length++)
            Rejects(bytes[..length]);
    }

    [Fact]
    public void TruncatedTensorDataNamesTheTensor()
    {
        var bytes = GgufTestFiles.Small();
        var ex = Rejects(bytes[..^40]);
        Assert.Contains("tensor 'second.weight'", ex.Message);
        Assert.Contains("past the end of the file", ex.Message);
    }

    [Fact]
    public void WrongMagicIsRejected()
    {
        var bytes = GgufTestFiles.Small();
        bytes[0] = (byte)'X';
        Assert.Contains("not a GGUF file", Rejects(bytes).Message);
    }

    [Theory]
    [InlineData(1u, "version 1")]
    [InlineData(4u, "unsupported GGUF version 4")]
    [InlineData(0x03000000u, "big-endian")]
    public void UnsupportedVersionsAreRejected(uint version, string message)
    {
        var bytes = GgufTestFiles.With(GgufTestFiles.Small(), 4, version, 4);
        Assert.Contains(message, Rejects(bytes).Message);
    }

    [Theory]
    [InlineData(8, "tensor count")]
    [InlineData(16, "metadata count")]
    public void AbsurdCountsAreRejectedBeforeAllocating(int offset, string what)
    {
        foreach (var count in new ulong[] { 1UL << 40, ulong.MaxValue, 1000 })
        {
            var bytes = GgufTestFiles.With(GgufTestFiles.Small(), offset, count, 8);
            var message = Rejects(bytes).Message;
            Assert.True(message.Contains(what) || message.Contains("truncated") || message.Contains("past the end"), message);
        }
    }

    [Fact]
    public void AbsurdArrayLengthIsRejected()
    {
        var bytes = GgufTestFiles.Small();
        // After the key comes the value type (array), the element type (string) and then the length.
        var at = GgufTestFiles.OffsetAfterString(bytes, "tokenizer.ggml.tokens") + 8;
        var message = Rejects(GgufTestFiles.With(bytes, at, 1UL << 62, 8)).Message;
        Assert.Contains("metadata 'tokenizer.ggml.tokens'", message);
        Assert.Contains("array of", message);
    }

    [Fact]
    public void AbsurdStringLengthIsRejected()
    {
        var bytes = GgufTestFiles.Small();
        var at = GgufTestFiles.OffsetAfterString(bytes, "general.architecture") + 4;
        var message = Rejects(GgufTestFiles.With(bytes, at, ulong.MaxValue - 3, 8)).Message;
        Assert.Contains("metadata 'general.architecture'", message);
        Assert.Contains("runs past the end", message);
    }

    [Fact]
    public void TensorOffsetPastTheEndIsRejected()
    {
        var bytes = GgufTestFiles.Small();
        // name, n_dims (4), two dims (16), type (4), then the offset.
        var at = GgufTestFiles.OffsetAfterString(bytes, "first.weight") + 4 + 16 + 4;
        foreach (var offset in new[] { 1UL << 20, ulong.MaxValue - 31, (ulong)bytes.Length })
        {
            var message = Rejects(GgufTestFiles.With(bytes, at, offset, 8)).Message;
            Assert.Contains("tensor 'first.weight'", message);
        }
    }

    [Fact]
    public void MisalignedTensorOffsetIsRejected()
    {
        var bytes = GgufTestFiles.Small();
        var at = GgufTestFiles.OffsetAfterString(bytes, "first.weight") + 4 + 16 + 4;
        Assert.Contains("alignment", Rejects(GgufTestFiles.With(bytes, at, 4, 8)).Message);
    }

    [Theory]
    [InlineData(4u)]
    [InlineData(31u)]
    [InlineData(1000u)]
    public void UnknownTensorTypeIsRejected(uint type)
    {
        var bytes = GgufTestFiles.Small();
        var at = GgufTestFiles.OffsetAfterString(bytes, "first.weight") + 4 + 16;
        Assert.Contains($"unknown ggml type {type}", Rejects(GgufTestFiles.With(bytes, at, type, 4)).Message);
    }

    [Fact]
    public void UnknownMetadataTypeIsRejected()
    {
        var bytes = GgufTestFiles.Small();
        var at = GgufTestFiles.OffsetAfterString(bytes, "llama.block_count");
        var message = Rejects(GgufTestFiles.With(bytes, at, 13, 4)).Message;
        Assert.Contains("'llama.block_count'", message);
        Assert.Contains("unknown value type 13", message);
    }

    [Fact]
    public void TooManyDimensionsAndBadRowLengthsAreRejected()
    {
        var bytes = GgufTestFiles.Small();
        var at = GgufTestFiles.OffsetAfterString(bytes, "first.weight");
        Assert.Contains("dimensions", Rejects(GgufTestFiles.With(bytes, at, 5, 4)).Message);
        // second.weight is Q8_0 (blocks of 32): a row of 33 elements is not a whole number of blocks.
        var q8 = GgufTestFiles.OffsetAfterString(bytes, "second.weight") + 4;
        Assert.Contains("block size", Rejects(GgufTestFiles.With(bytes, q8, 33, 8)).Message);
        Assert.Contains("overflows", Rejects(GgufTestFiles.With(bytes, q8 + 8, long.MaxValue / 2, 8)).Message);
    }

    [Fact]
    public void DuplicateNamesAreRejected()
    {
        var bytes = GgufTestFiles.Small();
        var at = GgufTestFiles.OffsetAfterString(bytes, "second.weight") - "second.weight".Length;
        "first.weig"u8.CopyTo(bytes.AsSpan(at));
        "ht\0\0\0"u8.CopyTo(bytes.AsSpan(at + 10));
        var tampered = GgufTestFiles.With(bytes, at - 8, 12, 8);
        // The name now reads "first.weight" followed by bytes the parser takes as the dimension count: either the
        // duplicate is found or the shifted fields are rejected, never accepted.
        Rejects(tampered);
    }

    [Fact]
    public void BadAlignmentIsRejected()
    {
        var w = new GgufWriter();
        w.Set("general.alignment", GgufValue.Of(32u));
        var stream = new MemoryStream();
        w.Write(stream);
        var bytes = stream.ToArray();
        var at = GgufTestFiles.OffsetAfterString(bytes, "general.alignment") + 4;
        Assert.Contains("power of two", Rejects(GgufTestFiles.With(bytes, at, 24, 4)).Message);
        Assert.Contains("power of two", Rejects(GgufTestFiles.With(bytes, at, 0, 4)).Message);
    }

    [Fact]
    public void DeeplyNestedArraysAreRejected()
    {
        var value = GgufValue.Array([1, 2]);
        for (var i = 0; i < 12; i++) value = GgufValue.Array([value]);
        var w = new GgufWriter();
        w.Set("nested", value);
        var stream = new MemoryStream();
        w.Write(stream);
        Assert.Contains("nested deeper", Rejects(stream.ToArray()).Message);
    }

    [Fact]
    public void RandomByteFlipsNeverCrash()
    {
        var original = GgufTestFiles.Small();
        var rng = new Random(12345);
        long headerEnd;
        using (var file = GgufTestFiles.OpenBytes(original, dir))
            headerEnd = file.DataStart;
        for (var trial = 0; trial < 400; trial++)
        {
            var bytes = (byte[])original.Clone();
            for (var flips = rng.Next(1, 4); flips > 0; flips--)
                bytes[rng.Next((int)headerEnd)] = (byte)rng.Next(256);
            try
            {
                using var file = GgufTestFiles.OpenBytes(bytes, dir);
                foreach (var t in file.Tensors)
                    Assert.True(t.DataOffset + t.ByteSize <= file.FileSize);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    [Fact]
    public void MissingFileIsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => GgufFile.Open(Path.Combine(dir, "absent.gguf")));
    }
}
